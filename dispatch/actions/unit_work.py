"""The units' work on their tasks: accept, progress notes, finish, return (退单) and escalate (上报)."""

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from dispatch import lifecycle, routing
from dispatch.actions.bookkeeping import (
    create_tasks,
    enqueue,
    follow_tasks,
    save_task,
    save_ticket,
    tasks_data,
)
from dispatch.actions.guards import (
    clean_text,
    require_member,
)
from dispatch.actions.locking import lock_task
from dispatch.actions.notifications import notify_dispatchers, tell_reporter
from dispatch.actions.photos import FileGuard, store_photos
from dispatch.errors import SubmissionError, TransitionRefused
from dispatch.events import Kind, record
from dispatch.models import (
    DispatchQueueEntry,
    Task,
)
from reports.models import Photo, Status


def accept_task(*, task: Task, actor: User, note: str = "") -> Task:
    """签收: a member of the task's unit takes it on. The first acceptance starts processing."""
    note = clean_text(note, field="note", required=False, message="")
    with transaction.atomic():
        report, task = lock_task(task)
        require_member(actor, task.unit)
        lifecycle.refuse_unless(lifecycle.ACCEPT, report, task)
        now = timezone.now()
        task.status = Task.Status.ACCEPTED
        task.accepted_at = now
        task.accepted_by = actor
        save_task(task, "status", "accepted_at", "accepted_by")
        from_status = report.status
        if report.accepted_at is None:
            report.accepted_at = now
            save_ticket(report, "accepted_at")
        follow_tasks(report, now=now)
        record(
            report=report,
            kind=Kind.TASK_ACCEPTED,
            actor=actor,
            actor_label=task.unit.name,
            from_status=from_status,
            to_status=report.status,
            note=note or _("%(unit)s 已签收") % {"unit": task.unit.name},
            data={"task": task.id, "unit": task.unit.code},
        )
        if from_status != report.status:
            tell_reporter(report, _("您反映的问题正在处置"), report.number)
    return task


def add_progress_note(*, task: Task, actor: User, note: str, photos: Sequence = ()) -> Task:
    """A unit records what it did so far, optionally with photos."""
    note = clean_text(note, field="note", required=True, message=gettext_lazy("请填写处置进展。"))
    with FileGuard() as written, transaction.atomic():
        report, task = lock_task(task)
        require_member(actor, task.unit)
        lifecycle.refuse_unless(lifecycle.PROGRESS, report, task)
        event = record(
            report=report,
            kind=Kind.TASK_PROGRESS,
            actor=actor,
            actor_label=task.unit.name,
            note=note,
            data={"task": task.id, "unit": task.unit.code},
        )
        store_photos(
            photos,
            report=report,
            kind=Photo.Kind.PROGRESS,
            event=event,
            now=event.created_at,
            written=written,
        )
    return task


def finish_task(*, task: Task, actor: User, note: str, photo) -> Task:
    """The unit finished its part, with an after-photo. When every task is done the ticket waits
    for the on-site check (handled)."""
    note = clean_text(note, field="note", required=True, message=gettext_lazy("请填写处置结果。"))
    if not photo:
        raise SubmissionError(gettext_lazy("请上传处置后照片。"), field="photo", code="no_photo")
    with FileGuard() as written, transaction.atomic():
        report, task = lock_task(task)
        require_member(actor, task.unit)
        lifecycle.refuse_unless(lifecycle.FINISH, report, task)
        now = timezone.now()
        task.status = Task.Status.DONE
        task.done_at = now
        task.done_by = actor
        task.note = note
        save_task(task, "status", "done_at", "done_by", "note")
        from_status = report.status
        follow_tasks(report, now=now)
        event = record(
            report=report,
            kind=Kind.TASK_DONE,
            actor=actor,
            actor_label=task.unit.name,
            from_status=from_status,
            to_status=report.status,
            note=note,
            data={"task": task.id, "unit": task.unit.code},
        )
        store_photos(
            [photo], report=report, kind=Photo.Kind.AFTER, event=event, now=now, written=written
        )
        if report.status == Status.HANDLED:
            tell_reporter(report, _("您反映的问题已处置完毕，等待现场核查"), report.number)
    return task


def return_task(*, task: Task, actor: User, reason: str) -> Task:
    """退回: not this unit's matter. The task ends and the ticket waits for the dispatcher."""
    reason = clean_text(
        reason, field="reason", required=True, message=gettext_lazy("请说明退回理由。")
    )
    with transaction.atomic():
        report, task = lock_task(task)
        require_member(actor, task.unit)
        lifecycle.refuse_unless(lifecycle.RETURN, report, task)
        now = timezone.now()
        task.status = Task.Status.RETURNED
        task.closed_at = now
        task.note = reason
        save_task(task, "status", "closed_at", "note")
        enqueue(report, reason=DispatchQueueEntry.Reason.RETURNED, note=reason)
        from_status = report.status
        follow_tasks(report, now=now)
        record(
            report=report,
            kind=Kind.TASK_RETURNED,
            actor=actor,
            actor_label=task.unit.name,
            from_status=from_status,
            to_status=report.status,
            note=reason,
            data={"task": task.id, "unit": task.unit.code},
        )
        notify_dispatchers(
            kind="task_returned",
            title=_("%(number)s 被%(unit)s退回")
            % {"number": report.number, "unit": task.unit.name},
            body=reason,
        )
    return task


def escalate_task(*, task: Task, actor: User, reason: str) -> list[Task]:
    """上报: a grid team or community committee cannot settle it; the next level gets a task
    (grid team → community committee → the rule's departments)."""
    reason = clean_text(
        reason, field="reason", required=True, message=gettext_lazy("请说明上报原因。")
    )
    with transaction.atomic():
        report, task = lock_task(task)
        require_member(actor, task.unit)
        lifecycle.refuse_unless(lifecycle.ESCALATE, report, task)
        if task.level not in routing.NEXT_LEVEL:
            raise TransitionRefused(gettext_lazy("部门任务不能再向上级上报，请退回或申请延期。"))
        now = timezone.now()
        task.status = Task.Status.ESCALATED
        task.closed_at = now
        task.note = reason
        save_task(task, "status", "closed_at", "note")
        plan = routing.escalation_plan(report, task.level)
        from_status = report.status
        new_tasks: list[Task] = []
        if plan is None:
            enqueue(report, reason=DispatchQueueEntry.Reason.ESCALATED, note=reason)
            notify_dispatchers(
                kind="awaiting_manual_routing",
                title=_("%(number)s 待人工派遣") % {"number": report.number},
                body=reason,
            )
        else:
            new_tasks = create_tasks(
                report,
                units=plan.units,
                level=plan.level,
                hours=plan.hours,
                urgent=plan.urgent,
                rule=plan.rule,
                parent=task,
                now=now,
            )
        follow_tasks(report, now=now)
        record(
            report=report,
            kind=Kind.TASK_ESCALATED,
            actor=actor,
            actor_label=task.unit.name,
            from_status=from_status,
            to_status=report.status,
            note=reason,
            data={
                "task": task.id,
                "unit": task.unit.code,
                "level": plan.level if plan else None,
                "tasks": tasks_data(new_tasks),
            },
        )
    return new_tasks
