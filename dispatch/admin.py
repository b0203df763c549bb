"""Administrators edit units, memberships, routing rules and the calendar here. Tasks, extensions
and the dispatcher's queue are shown read-only: they change only through dispatch actions."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import ADDITION, LogEntry
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from accounts.actions import record_config_change
from accounts.audit import AuditedAdmin
from accounts.models import ConfigChange
from dispatch.holidays import ScheduleError, load_schedule
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
class UnitAdmin(AuditedAdmin):
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
class UnitMembershipAdmin(AuditedAdmin):
    list_display = ("user", "unit", "role")
    list_filter = ("role", "unit__kind")
    search_fields = ("user__phone", "user__name", "unit__name", "unit__code")
    autocomplete_fields = ("user", "unit")


@admin.register(RoutingRule)
class RoutingRuleAdmin(AuditedAdmin):
    list_display = ("category", "area", "lead_unit", "deadline_hours", "urgent", "is_active")
    list_filter = ("is_active", "category__parent")
    search_fields = ("category__code", "category__name", "lead_unit__name")
    autocomplete_fields = ("lead_unit", "cooperating_units")
    raw_id_fields = ("street", "community", "grid")

    @admin.display(description=_("范围"))
    def area(self, rule):
        return rule.grid or rule.community or rule.street or _("全市")


class HolidayScheduleForm(forms.Form):
    file = forms.FileField(label=_("节假日安排 CSV 文件"))


@admin.register(CalendarDay)
class CalendarDayAdmin(AuditedAdmin):
    list_display = ("date", "is_workday", "note")
    list_filter = ("is_workday",)
    date_hierarchy = "date"

    def get_urls(self):
        load = path(
            "load/",
            self.admin_site.admin_view(self.load_schedule_view),
            name="dispatch_calendarday_load",
        )
        return [load, *super().get_urls()]

    def load_schedule_view(self, request):
        """Upload a year's schedule (dispatch.holidays): every line checked, nothing written
        unless all are valid."""
        if not self.has_add_permission(request) or not self.has_delete_permission(request):
            raise PermissionDenied
        form = HolidayScheduleForm(request.POST or None, request.FILES or None)
        errors: list[str] = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if upload.size > 100_000:
                    raise ScheduleError([_("文件过大。")])
                text = upload.read().decode("utf-8-sig")
                year, count = load_schedule(text, actor=request.user)
            except UnicodeDecodeError:
                errors = [_("文件应为 UTF-8 编码的 CSV。")]
            except ScheduleError as exc:
                errors = exc.messages
            else:
                LogEntry.objects.log_actions(
                    user_id=request.user.pk,
                    queryset=CalendarDay.objects.filter(date__year=year),
                    action_flag=ADDITION,
                    change_message=f"holiday schedule {year} loaded from {upload.name[:80]}",
                    single_object=False,
                )
                record_config_change(
                    actor=request.user,
                    model=CalendarDay._meta.label_lower,
                    object_repr=str(year),
                    action=ConfigChange.Action.LOADED,
                    changes={"days": [None, count], "file": [None, upload.name[:80]]},
                )
                messages.success(
                    request,
                    _("已导入 %(year)s 年的节假日安排，共 %(count)s 天。")
                    % {"year": year, "count": count},
                )
                return redirect("admin:dispatch_calendarday_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "errors": errors,
            "title": _("导入节假日安排"),
        }
        return render(request, "admin/dispatch/calendarday/load.html", context)


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
