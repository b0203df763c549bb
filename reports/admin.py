"""Admin: the category catalogue (editable), reports (read-mostly: the timeline is an audit trail),
and API keys (issued and revoked through actions; a new key is shown once)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.audit import AuditedAdmin
from reports import actions, catalogue, photo_access
from reports.errors import ReportError
from reports.models import ApiKey, CatalogueEdition, Category, Event, Photo, Report


@admin.register(Category)
class CategoryAdmin(AuditedAdmin):
    list_display = [
        "code",
        "name",
        "catalogue",
        "parent",
        "kind",
        "handling_level",
        "sla_working_hours",
        "urgent",
        "public",
        "is_active",
    ]
    list_filter = ["catalogue", "kind", "handling_level", "urgent", "public", "is_active"]
    list_editable = ["sla_working_hours", "urgent", "public", "is_active"]
    search_fields = ["code", "name", "synonyms"]
    ordering = ["catalogue", "code"]
    list_select_related = ["parent"]

    def get_readonly_fields(self, request, obj=None):
        # The standard's code, name and place come from its edition (load_catalogue), not by hand.
        if obj is not None and obj.catalogue in Category.NATIONAL_CATALOGUES:
            return ["catalogue", "code", "name", "parent", "edition"]
        return ["edition"]

    def has_delete_permission(self, request, obj=None):
        # Reports point at their category; retire one with "启用" instead of deleting it.
        return False


class LoadEditionForm(forms.Form):
    edition = forms.CharField(label=_("版本名称"), max_length=60, initial="GB/T 47678.5-")
    file = forms.FileField(
        label=_("目录文件 (CSV)"),
        help_text=_(
            "与 reports/data/gbt47678_5_2026.csv 同样的列：code,kind,major_code,major_name,group_name,name"
        ),
    )


@admin.register(CatalogueEdition)
class CatalogueEditionAdmin(admin.ModelAdmin):
    """Editions of the national catalogue; a newer one is loaded from its CSV, all or nothing."""

    list_display = ["name", "is_current", "loaded_at"]
    change_list_template = "admin/reports/catalogueedition/change_list.html"
    readonly_fields = ["name", "is_current", "loaded_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        load = self.admin_site.admin_view(self.load_view)
        return [
            path("load/", load, name="reports_catalogueedition_load"),
            *super().get_urls(),
        ]

    def load_view(self, request):
        if not request.user.has_perm("reports.change_category"):
            raise PermissionDenied
        form = LoadEditionForm(request.POST or None, request.FILES or None)
        problems: list[str] = []
        if request.method == "POST" and form.is_valid():
            raw = form.cleaned_data["file"].read()
            try:
                entries = catalogue.read_catalogue(raw.decode("utf-8"))
                result = catalogue.load_edition(
                    entries=entries,
                    edition_name=form.cleaned_data["edition"].strip(),
                    actor=request.user,
                )
            except UnicodeDecodeError:
                problems = [_("文件不是 UTF-8 编码的 CSV。")]
            except catalogue.CatalogueError as exc:
                problems = exc.problems
            else:
                messages.success(
                    request,
                    _(
                        "已载入 %(edition)s：新增 %(created)d，更名 %(renamed)d，停用 %(retired)d，恢复 %(reactivated)d。"
                    )
                    % {
                        "edition": result.edition.name,
                        "created": len(result.created),
                        "renamed": len(result.renamed),
                        "retired": len(result.retired),
                        "reactivated": len(result.reactivated),
                    },
                )
                return redirect("admin:reports_catalogueedition_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("载入新版国家目录"),
            "form": form,
            "problems": problems,
            "opts": self.model._meta,
        }
        return TemplateResponse(
            request,
            "admin/reports/catalogueedition/load.html",
            context,
            status=400 if problems else 200,
        )


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
