"""Suspension (挂账): a unit's request and the dispatcher's decision, the dispatcher suspending
and resuming a ticket (giving back the time that was left).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from dispatch import calendar, lifecycle
from dispatch.actions.bookkeeping import (
    follow_tasks,
    record_decision,
    save_task,
    save_ticket,
)
from dispatch.actions.guards import (
    DISPATCHER,
    clean_text,
    require_dispatcher,
    require_member,
)
from dispatch.actions.locking import lock_pending_request, lock_report, lock_task
from dispatch.actions.notifications import notify_dispatchers, notify_unit, task_url, tell_reporter
from dispatch.errors import TransitionRefused
from dispatch.events import Kind, label, record
from dispatch.models import (
    OPEN_TASK_STATUSES,
    SuspensionRequest,
    Task,
)
from reports.models import Report, Status


def request_suspension(*, task: Task, actor: User, reason: str) -> SuspensionRequest:
    """挂账申请: the unit asks the dispatcher to suspend the ticket (long-term work)."""
    reason = clean_text(
        reason, field="reason", required=True, message=gettext_lazy("请说明挂账理由。")
    )
    with transaction.atomic():
        report, task = lock_task(task)
        require_member(actor, task.unit)
        lifecycle.refuse_unless(lifecycle.REQUEST_SUSPENSION, report, task)
        # One question at a time per ticket: the answer suspends the whole ticket.
        if SuspensionRequest.objects.filter(
            task__report=report, status=SuspensionRequest.Status.PENDING
        ).exists():
            raise TransitionRefused(gettext_lazy("该事项已有待审批的挂账申请。"))
        suspension = SuspensionRequest.objects.create(task=task, reason=reason, requested_by=actor)
        record(
            report=report,
            kind=Kind.SUSPENSION_REQUESTED,
            actor=actor,
            actor_label=task.unit.name,
            note=reason,
            public=False,
            data={"task": task.id, "suspension": suspension.id},
        )
        notify_dispatchers(
            kind="suspension_requested",
            title=_("%(unit)s 申请挂账：%(number)s")
            % {"unit": task.unit.name, "number": report.number},
            body=reason,
        )
    return suspension


def _decide_suspension(
    *, suspension: SuspensionRequest, actor: User, approve: bool, note: str
) -> SuspensionRequest:
    require_dispatcher(actor)
    with transaction.atomic():
        report, task, suspension = lock_pending_request(
            SuspensionRequest,
            suspension.id,
            decided_message=gettext_lazy("该挂账申请已经审批过了。"),
        )
        record_decision(suspension, actor=actor, approve=approve, note=note, now=timezone.now())
        data = {"task": task.id, "suspension": suspension.id, "unit": task.unit.code}
        if approve:
            _suspend_locked(report, actor=actor, reason=note or suspension.reason, data=data)
        else:
            record(
                report=report,
                kind=Kind.SUSPENSION_REFUSED,
                actor=actor,
                actor_label=label(DISPATCHER),
                note=note,
                public=False,
                data=data,
            )
        title = (
            _("挂账申请已批准：%(number)s") if approve else _("挂账申请未批准：%(number)s")
        ) % {"number": report.number}
        notify_unit(
            task.unit, kind="suspension_decided", title=title, body=note, url=task_url(task)
        )
    return suspension


def approve_suspension(
    *, suspension: SuspensionRequest, actor: User, note: str = ""
) -> SuspensionRequest:
    """The ticket is suspended (挂账) in the same transaction; the unit is told."""
    note = clean_text(note, field="note", required=False, message="")
    return _decide_suspension(suspension=suspension, actor=actor, approve=True, note=note)


def refuse_suspension(
    *, suspension: SuspensionRequest, actor: User, note: str = ""
) -> SuspensionRequest:
    note = clean_text(note, field="note", required=False, message="")
    return _decide_suspension(suspension=suspension, actor=actor, approve=False, note=note)


def suspend_report(*, report: Report, actor: User, reason: str) -> Report:
    """挂账: approved long-term work; leaves the on-time count and the deadline watch."""
    require_dispatcher(actor)
    reason = clean_text(
        reason, field="reason", required=True, message=gettext_lazy("请说明挂账理由。")
    )
    with transaction.atomic():
        report = lock_report(report)
        _suspend_locked(report, actor=actor, reason=reason)
    return report


def _suspend_locked(report: Report, *, actor: User, reason: str, data: dict | None = None) -> None:
    """The 挂账 itself, on a ticket the caller has locked: status, one event, the reporter told."""
    lifecycle.refuse_unless(lifecycle.SUSPEND, report)
    from_status = report.status
    report.status = Status.SUSPENDED
    save_ticket(report, "status")
    record(
        report=report,
        kind=Kind.SUSPENDED,
        actor=actor,
        actor_label=label(DISPATCHER),
        from_status=from_status,
        to_status=Status.SUSPENDED,
        note=reason,
        data=data,
    )
    tell_reporter(report, _("您反映的问题已列入长期整改（挂账）"), reason)


def _paused_since(report: Report):
    """When the current 挂账 began: the latest suspension event's time."""
    return (
        report.events.filter(kind=Kind.SUSPENDED)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )


def _time_left_given_back(due, *, paused_at, now, urgent: bool):
    """A due time after a pause from `paused_at` to `now`: the working time it still had at
    the pause, counted again from `now`. A due time already past at the pause stays as it was."""
    if due is None or due <= paused_at:
        return due
    if urgent:
        return now + (due - paused_at)
    return calendar.add_working_hours(now, calendar.working_hours_between(paused_at, due))


def resume_report(*, report: Report, actor: User, note: str = "") -> Report:
    """End 挂账: the ticket takes the state its tasks imply. The clock was paused: every due time
    still ahead when the ticket was suspended (the ticket's deadline, each open task's reminder,
    deadline and officials' time) gets back exactly the working time it had left; one already
    past stays past, so a ticket overdue before 挂账 is overdue after it."""
    require_dispatcher(actor)
    note = clean_text(note, field="note", required=False, message="")
    with transaction.atomic():
        report = lock_report(report)
        lifecycle.refuse_unless(lifecycle.RESUME, report)
        now = timezone.now()
        paused_at = _paused_since(report) or now
        open_tasks = list(report.tasks.select_for_update().filter(status__in=OPEN_TASK_STATUSES))
        for task in open_tasks:
            for due, claim in (
                ("remind_due_at", "reminded_at"),
                ("deadline", "overdue_at"),
                ("official_due_at", "official_listed_at"),
            ):
                moved = _time_left_given_back(
                    getattr(task, due), paused_at=paused_at, now=now, urgent=task.urgent
                )
                setattr(task, due, moved)
                if getattr(task, claim) is not None and moved > now:
                    setattr(task, claim, None)
            save_task(
                task,
                "remind_due_at",
                "deadline",
                "official_due_at",
                "reminded_at",
                "overdue_at",
                "official_listed_at",
            )
        if report.deadline is not None:
            report.deadline = _time_left_given_back(
                report.deadline,
                paused_at=paused_at,
                now=now,
                urgent=any(t.urgent for t in open_tasks) or report.category.urgent,
            )
        report.status = Status.DISPATCHED
        follow_tasks(report, now=now)
        save_ticket(report, "status", "deadline")
        record(
            report=report,
            kind=Kind.RESUMED,
            actor=actor,
            actor_label=label(DISPATCHER),
            from_status=Status.SUSPENDED,
            to_status=report.status,
            note=note,
        )
    return report
