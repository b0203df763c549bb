"""Routing: a new ticket's tasks from the routing rules, the dispatcher's manual routing and 改派."""

from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from dispatch import lifecycle, routing
from dispatch.actions.bookkeeping import (
    cancel_tasks,
    create_tasks,
    enqueue,
    follow_tasks,
    open_queue_entry,
    resolve_queue,
    save_ticket,
    tasks_data,
)
from dispatch.actions.guards import (
    DISPATCHER,
    MAX_EXTENSION_HOURS,
    SYSTEM,
    clean_text,
    require_dispatcher,
)
from dispatch.actions.locking import lock_report
from dispatch.actions.notifications import notify_dispatchers, tell_reporter
from dispatch.errors import SubmissionError, TransitionRefused
from dispatch.events import Kind, label, record
from dispatch.models import (
    LIVE_TASK_STATUSES,
    DispatchQueueEntry,
    Task,
    Unit,
)
from reports.models import Report, Status


def _units_from_codes(lead_unit: Unit, cooperating_units: Iterable[Unit]) -> list[tuple[Unit, str]]:
    units = [(lead_unit, Task.Role.LEAD)]
    seen = {lead_unit.id}
    for unit in cooperating_units:
        if unit.id not in seen:
            seen.add(unit.id)
            units.append((unit, Task.Role.COOPERATING))
    for unit, _role in units:
        if not unit.is_active:
            raise SubmissionError(
                gettext_lazy("单位“%(name)s”已停用，不能派遣。") % {"name": unit.name},
                field="units",
                code="inactive_unit",
            )
    return units


def route_report(*, report_id: int) -> list[Task]:
    """Route a newly submitted report: tasks for the lead and cooperating units, or the
    dispatcher's queue when no rule covers it or the reporter was unsure of the category.

    Safe to run any number of times, concurrently too: the ticket is locked, and a ticket that
    is no longer waiting (routed, queued, closed) is left alone."""
    with transaction.atomic():
        report = (
            Report.objects.select_for_update(of=("self",))
            .select_related("category__parent")
            .filter(id=report_id)
            .first()
        )
        if report is None or not lifecycle.ROUTE.allows(report.status):
            return []
        if (
            open_queue_entry(report) is not None
            or report.tasks.filter(status__in=LIVE_TASK_STATUSES).exists()
        ):
            return []
        now = timezone.now()
        plan = None if report.category_unsure else routing.plan(report)
        if plan is not None:
            report.status = Status.DISPATCHED
        if plan is None:
            reason = (
                DispatchQueueEntry.Reason.UNSURE
                if report.category_unsure
                else DispatchQueueEntry.Reason.UNCOVERED
            )
            enqueue(report, reason=reason)
            record(
                report=report,
                kind=Kind.AWAITING_MANUAL_ROUTING,
                actor=None,
                actor_label=label(SYSTEM),
                note=_("等待指挥中心人工派遣。"),
                data={"reason": reason},
            )
            notify_dispatchers(
                kind="awaiting_manual_routing",
                title=_("%(number)s 待人工派遣") % {"number": report.number},
                body=str(DispatchQueueEntry.Reason(reason).label),
            )
            return []
        tasks = create_tasks(
            report,
            units=plan.units,
            level=plan.level,
            hours=plan.hours,
            urgent=plan.urgent,
            rule=plan.rule,
            now=now,
            fresh=True,
            also_save=("status",),
        )
        record(
            report=report,
            kind=Kind.DISPATCHED,
            actor=None,
            actor_label=label(SYSTEM),
            from_status=Status.SUBMITTED,
            to_status=Status.DISPATCHED,
            note=_("已派遣至：%(units)s") % {"units": "、".join(t.unit.name for t in tasks)},
            data={
                "tasks": tasks_data(tasks),
                "level": plan.level,
                "rule": plan.rule.id if plan.rule else None,
                "automatic": True,
            },
        )
        tell_reporter(report, _("您反映的问题已派遣处置单位"), report.number)
    return tasks


def route_manually(
    *,
    report: Report,
    actor: User,
    lead_unit: Unit,
    cooperating_units: Sequence[Unit] = (),
    hours: int | None = None,
    urgent: bool | None = None,
    note: str = "",
) -> list[Task]:
    """The dispatcher routes a ticket waiting in the queue (or adds units after a return)."""
    require_dispatcher(actor)
    note = clean_text(note, field="note", required=False, message="")
    units = _units_from_codes(lead_unit, cooperating_units)
    if hours is not None and not 0 < hours <= MAX_EXTENSION_HOURS:
        raise SubmissionError(gettext_lazy("办理时限应在 1 到 720 小时之间。"), field="hours")
    with transaction.atomic():
        report = lock_report(report)
        lifecycle.refuse_unless(lifecycle.ROUTE_MANUALLY, report)
        now = timezone.now()
        default_hours, default_urgent = routing.time_limit(report, routing.matching_rule(report))
        level = lead_unit.level
        tasks = create_tasks(
            report,
            units=units,
            level=level,
            hours=hours or default_hours,
            urgent=default_urgent if urgent is None else urgent,
            now=now,
        )
        if not tasks:
            raise TransitionRefused(gettext_lazy("所选单位已在处理该事项。"))
        resolve_queue(report, actor=actor, now=now)
        from_status = report.status
        if report.status == Status.SUBMITTED:
            report.status = Status.DISPATCHED
            save_ticket(report, "status")
        else:
            follow_tasks(report, now=now)
        record(
            report=report,
            kind=Kind.DISPATCHED,
            actor=actor,
            actor_label=label(DISPATCHER),
            from_status=from_status,
            to_status=report.status,
            note=note
            or _("已派遣至：%(units)s") % {"units": "、".join(t.unit.name for t in tasks)},
            data={"tasks": tasks_data(tasks), "level": level, "automatic": False},
        )
        if from_status == Status.SUBMITTED:
            tell_reporter(report, _("您反映的问题已派遣处置单位"), report.number)
    return tasks


def reroute(
    *,
    report: Report,
    actor: User,
    lead_unit: Unit,
    cooperating_units: Sequence[Unit] = (),
    reason: str,
    hours: int | None = None,
    urgent: bool | None = None,
) -> list[Task]:
    """The dispatcher takes the ticket from its units (unfinished tasks cancelled) and gives it
    to others."""
    require_dispatcher(actor)
    reason = clean_text(
        reason, field="reason", required=True, message=gettext_lazy("请说明改派原因。")
    )
    units = _units_from_codes(lead_unit, cooperating_units)
    with transaction.atomic():
        report = lock_report(report)
        lifecycle.refuse_unless(lifecycle.REROUTE, report)
        now = timezone.now()
        from_status = report.status
        cancelled = list(report.tasks.select_for_update().filter(status__in=LIVE_TASK_STATUSES))
        cancel_tasks(report, [t.id for t in cancelled], now=now)
        default_hours, default_urgent = routing.time_limit(report, routing.matching_rule(report))
        tasks = create_tasks(
            report,
            units=units,
            level=lead_unit.level,
            hours=hours or default_hours,
            urgent=default_urgent if urgent is None else urgent,
            now=now,
        )
        resolve_queue(report, actor=actor, now=now)
        report.status = Status.DISPATCHED
        report.handled_at = None
        save_ticket(report, "status", "handled_at")
        record(
            report=report,
            kind=Kind.REROUTED,
            actor=actor,
            actor_label=label(DISPATCHER),
            from_status=from_status,
            to_status=report.status,
            note=reason,
            data={"tasks": tasks_data(tasks), "cancelled": [t.id for t in cancelled]},
        )
    return tasks
