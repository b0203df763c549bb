"""Admin: the category catalogue (editable), reports (read-mostly: the timeline is an audit trail),
and API keys (issued and revoked through actions; a new key is shown once)."""

from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from reports import actions, photo_access
from reports.errors import ReportError
from reports.models import ApiKey, Category, Event, Photo, Report


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "parent",
        "kind",
        "handling_level",
        "sla_working_hours",
        "urgent",
        "public",
        "is_active",
    ]
    list_filter = ["kind", "handling_level", "urgent", "public", "is_active", "parent"]
    list_editable = ["sla_working_hours", "urgent", "public", "is_active"]
    search_fields = ["code", "name"]
    ordering = ["code"]

    def has_delete_permission(self, request, obj=None):
        # Reports point at their category; retire one with "启用" instead of deleting it.
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EventInline(ReadOnlyInline):
    model = Event
    fields = ["created_at", "kind", "actor_label", "from_status", "to_status", "note", "public"]
    readonly_fields = fields


class PhotoInline(ReadOnlyInline):
    model = Photo
    fields = ["preview", "kind", "width", "height", "created_at"]
    readonly_fields = fields

    @admin.display(description=_("照片"))
    def preview(self, photo):
        original = photo_access.signed_url(photo, "original")
        url = photo_access.signed_url(photo, "thumb") if photo.thumbnail else original
        return format_html('<a href="{}"><img src="{}" width="120"></a>', original, url)


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Read-only: every change of a ticket goes through an action and leaves an event."""

    list_display = ["number", "status", "category", "community", "channel", "submitted_at"]
    list_filter = ["status", "channel", "street"]
    search_fields = ["number", "address", "description", "external_id"]
    date_hierarchy = "submitted_at"
    list_select_related = ["category", "community"]
    inlines = [PhotoInline, EventInline]
    raw_id_fields = ["reporter", "merged_into", "grid", "community", "street", "api_key"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return request.method in ("GET", "HEAD") and super().has_view_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "channel", "prefix", "rate", "created_at", "revoked_at"]
    list_filter = ["channel"]
    fields = ["name", "channel", "rate"]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        # An issued key keeps its client and channel; revoke it and issue a new one instead.
        return ["name", "channel", "rate", "prefix", "created_at", "revoked_at"] if obj else []

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj) if obj else self.fields

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return
        try:
            key, raw = actions.issue_api_key(
                name=obj.name, channel=obj.channel, rate=obj.rate, actor=request.user
            )
        except ReportError as exc:
            messages.error(request, exc.message)
            return
        obj.pk = key.pk
        obj.id = key.id
        # Shown once: only the hash is stored.
        messages.warning(
            request,
            format_html(
                "{} <code id='issued-api-key'>{}</code>",
                _("新密钥如下，只显示这一次，请立即复制交给客户端："),
                raw,
            ),
        )

    @admin.action(description=_("吊销所选密钥"))
    def revoke(self, request, queryset):
        for key in queryset:
            actions.revoke_api_key(api_key=key, actor=request.user)
        messages.success(request, _("已吊销。"))
