from django.contrib import admin

from gridwork.models import Item, Visit, Volunteer


@admin.register(Volunteer)
class VolunteerAdmin(admin.ModelAdmin):
    list_display = ("user", "grid", "compound", "team", "serves_as", "party_member", "active")
    list_filter = ("serves_as", "party_member", "active")
    search_fields = ("user__name", "grid__code", "team")
    raw_id_fields = ("user", "grid", "compound")


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    """Read-only: visits are written by gridwork.actions from the phone pages."""

    list_display = ("kind", "grid", "compound", "recorded_by", "happened_at")
    list_filter = ("kind",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ("text", "kind", "status", "ticket")
    list_filter = ("kind", "status")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
