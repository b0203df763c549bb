"""Task bookkeeping shared by the stages: creating tasks with their due times, the dispatch queue,
the ticket's state following its tasks (DESIGN §3), the check clock, saving the ticket.
"""

from collections.abc import Iterable, Sequence

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import actions as account_actions
from accounts.models import User
from dispatch import calendar, membership, routing
from dispatch.actions.notifications import task_url
from dispatch.models import (
    LIVE_TASK_STATUSES,
    DispatchQueueEntry,
    Task,
    Unit,
    UnitRequest,
)
from reports.models import IN_HAND_STATUSES, Report, Status


def live_tasks(report: Report) -> list[Task]:
    return list(report.tasks.filter(status__in=LIVE_TASK_STATUSES).select_related("unit"))


def open_queue_entry(report: Report) -> DispatchQueueEntry | None:
    return report.queue_entries.filter(resolved_at=None).first()


def enqueue(report: Report, *, reason: str, note: str = "") -> DispatchQueueEntry:
    entry = open_queue_entry(report)
    if entry is None:
        entry = DispatchQueueEntry.objects.create(report=report, reason=reason, note=note)
    return entry


def resolve_queue(report: Report, *, actor: User | None, now) -> None:
    report.queue_entries.filter(resolved_at=None).update(resolved_at=now, resolved_by=actor)


def save_ticket(report: Report, *fields: str) -> None:
    report.save(update_fields=[*fields, "updated_at"])


def touch_ticket(report_id: int, *, now=None) -> None:
    """The one rule for every change to a task: its ticket's updated_at moves, so the figures'
    incremental refresh (stats.rollup reads Report.updated_at) sees it — returning one task of a
    six-unit ticket moves 退单率 although the ticket's own fields stay as they were."""
    Report.objects.filter(id=report_id).update(updated_at=now or timezone.now())


def save_task(task: Task, *fields: str) -> None:
    """Save a task's changed fields and touch its ticket (touch_ticket)."""
    task.save(update_fields=list(fields))
    touch_ticket(task.report_id)


def cancel_tasks(report: Report, task_ids: Sequence[int], *, now) -> None:
    """Cancel these tasks (re-routing, merging, rejecting, recategorising) and touch the ticket."""
    Task.objects.filter(id__in=task_ids).update(status=Task.Status.CANCELLED, closed_at=now)
    touch_ticket(report.id, now=now)


def follow_tasks(report: Report, *, now) -> None:
    """Move an open ticket to the state its live tasks imply (DESIGN §3):
    none live → submitted (back with the dispatcher); all done and nothing waiting for the
    dispatcher → handled; any accepted or done → processing; otherwise dispatched."""
    if report.status not in IN_HAND_STATUSES:
        return
    live = live_tasks(report)
    fields = ["status"]
    if not live:
        status = Status.SUBMITTED
    elif all(t.status == Task.Status.DONE for t in live) and open_queue_entry(report) is None:
        status = Status.HANDLED
        if report.handled_at is None:
            report.handled_at = now
            fields.append("handled_at")
        if report.status != Status.HANDLED:
            start_check_clock(report, now=now)
            fields += CHECK_CLOCK_FIELDS
    elif any(t.status != Task.Status.PENDING for t in live):
        status = Status.PROCESSING
    else:
        status = Status.DISPATCHED
    if status != report.status:
        report.status = status
        save_ticket(report, *fields)


CHECK_CLOCK_FIELDS = (
    "check_remind_due_at",
    "check_due_at",
    "check_reminded_at",
    "check_overdue_at",
)


def start_check_clock(report: Report, *, now) -> None:
    """The ticket is handled: its on-site check is due within CHECK_LIMIT_HOURS working hours
    (reminder at 75%). Each time it becomes handled (a rework round too) the check clock starts
    again, because there is new work to check."""
    hours = settings.CHECK_LIMIT_HOURS
    report.check_remind_due_at = calendar.add_working_hours(now, hours * 0.75)
    report.check_due_at = calendar.add_working_hours(now, hours)
    report.check_reminded_at = report.check_overdue_at = None


def set_due_times(task: Task) -> None:
    total = task.hours + task.extended_hours
    start = task.assigned_at
    task.remind_due_at = calendar.add_working_hours(start, total * 0.75, task.urgent)
    task.deadline = calendar.add_working_hours(start, total, task.urgent)
    task.official_due_at = calendar.add_working_hours(start, total * 2, task.urgent)


def set_ticket_deadline_from_first_dispatch(report: Report, tasks: Sequence[Task]) -> None:
    """One clock per ticket (DESIGN §4): the ticket's deadline is its lead task's limit when it
    is first dispatched. Later tasks (上报, 返工, 改派, manual routing after returns) have their own
    limits but never move it; only an approved extension does (extensions.approve_extension), and 挂账
    gives back the time that was left (resume_report)."""
    if report.deadline is not None or not tasks:
        return
    leads = [t.deadline for t in tasks if t.role == Task.Role.LEAD]
    report.deadline = max(leads or [t.deadline for t in tasks])


def create_tasks(
    report: Report,
    *,
    units: Sequence[tuple[Unit, str]],
    level: str,
    hours: int,
    urgent: bool,
    rule=None,
    parent: Task | None = None,
    now,
    fresh: bool = False,
    also_save: Sequence[str] = (),
) -> list[Task]:
    """Create the units' tasks (skipping units that hold a live task already), update the
    ticket's milestones and deadline in one write (with `also_save` fields the caller changed),
    and tell each unit's people. `fresh`: the ticket has no task yet (first routing)."""
    live = [] if fresh else live_tasks(report)
    existing = {t.unit_id for t in live}
    tasks = []
    for unit, role in units:
        if unit.id in existing:
            continue
        existing.add(unit.id)
        task = Task(
            report=report,
            unit=unit,
            role=role,
            level=level,
            rule=rule,
            parent=parent,
            hours=hours,
            urgent=urgent,
            assigned_at=now,
        )
        set_due_times(task)
        tasks.append(task)
    Task.objects.bulk_create(tasks)
    if report.dispatched_at is None:
        report.dispatched_at = now
    report.handled_level = routing.higher_level(report.handled_level, level)
    set_ticket_deadline_from_first_dispatch(report, tasks)
    save_ticket(report, "dispatched_at", "handled_level", "deadline", *also_save)
    people = membership.members_by_unit([t.unit for t in tasks])
    for task in tasks:
        title = _("新任务（%(role)s）：%(number)s %(category)s") % {
            "role": task.get_role_display(),
            "number": report.number,
            "category": report.category.name,
        }
        body = _("办理时限：%(deadline)s") % {
            "deadline": timezone.localtime(task.deadline).strftime("%Y-%m-%d %H:%M")
        }
        for person in people.get(task.unit_id, ()):
            account_actions.notify(
                recipient=person, kind="task_assigned", title=title, body=body, url=task_url(task)
            )
    return tasks


def tasks_data(tasks: Iterable[Task]) -> list[dict]:
    return [
        {
            "task": t.id,
            "unit": t.unit.code,
            "role": t.role,
            "deadline": t.deadline.isoformat(),
        }
        for t in tasks
    ]


def record_decision(request: UnitRequest, *, actor: User, approve: bool, note: str, now) -> None:
    request.status = UnitRequest.Status.APPROVED if approve else UnitRequest.Status.REFUSED
    request.decided_by = actor
    request.decided_at = now
    request.decision_note = note
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])


def cancel_live_tasks(report: Report, *, now) -> list[int]:
    ids = list(
        report.tasks.select_for_update()
        .filter(status__in=LIVE_TASK_STATUSES)
        .values_list("id", flat=True)
    )
    cancel_tasks(report, ids, now=now)
    return ids
