"""Administrators edit units, memberships, routing rules and the calendar here. Tasks, extensions
and the dispatcher's queue are shown read-only: they change only through dispatch actions."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from dispatch.models import (
    CalendarDay,
    DispatchQueueEntry,
    Extension,
    RoutingRule,
    SuspensionRequest,
    Task,
    Unit,
    UnitMembership,
)


class UnitMembershipInline(admin.TabularInline):
    model = UnitMembership
    extra = 1
    autocomplete_fields = ("user",)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)
    raw_id_fields = ("street", "community", "grid")
    inlines = [UnitMembershipInline]

    def get_inlines(self, request, obj):
        # A grid team's people are its grid's workers (grids' memberships), not listed here.
        if obj is not None and obj.kind == Unit.Kind.GRID:
            return []
        return super().get_inlines(request, obj)


@admin.register(UnitMembership)
class UnitMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "unit", "role")
    list_filter = ("role", "unit__kind")
    search_fields = ("user__phone", "user__name", "unit__name", "unit__code")
    autocomplete_fields = ("user", "unit")


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ("category", "area", "lead_unit", "deadline_hours", "urgent", "is_active")
    list_filter = ("is_active", "category__parent")
    search_fields = ("category__code", "category__name", "lead_unit__name")
    autocomplete_fields = ("lead_unit", "cooperating_units")
    raw_id_fields = ("street", "community", "grid")

    @admin.display(description=_("范围"))
    def area(self, rule):
        return rule.grid or rule.community or rule.street or _("全市")


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "is_workday", "note")
    list_filter = ("is_workday",)
    date_hierarchy = "date"


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ("report", "unit", "role", "level", "status", "deadline", "overdue_at")
    list_filter = ("status", "level", "role", "unit__kind")
    search_fields = ("report__number", "unit__name", "unit__code")
    list_select_related = ("report", "unit")


@admin.register(Extension)
class ExtensionAdmin(ReadOnlyAdmin):
    list_display = ("task", "hours", "status", "requested_at", "decided_at")
    list_filter = ("status",)


@admin.register(SuspensionRequest)
class SuspensionRequestAdmin(ReadOnlyAdmin):
    list_display = ("task", "status", "requested_at", "decided_at")
    list_filter = ("status",)


@admin.register(DispatchQueueEntry)
class DispatchQueueEntryAdmin(ReadOnlyAdmin):
    list_display = ("report", "reason", "created_at", "resolved_at")
    list_filter = ("reason",)
