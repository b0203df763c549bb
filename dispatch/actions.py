"""Writes of the dispatch app: routing, tasks, tickets' dispatch-side states, deadline watch.

Every action runs in one transaction, locks the ticket (then the task) with select_for_update —
always in that order, so two actions on one ticket cannot deadlock — checks who may act, refuses
an impossible transition with TransitionRefused (nothing written), writes one timeline event, and
notifies inside the transaction (e-mail/SMS copies leave after commit).

A ticket's state follows its tasks (DESIGN §3): see _follow_tasks().
"""

import datetime as dt
import logging
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import actions as account_actions
from accounts.models import User
from dispatch import calendar, membership, routing
from dispatch.errors import NotPermitted, SubmissionError, TransitionRefused
from dispatch.events import Kind, label, record
from dispatch.models import (
    LIVE_TASK_STATUSES,
    OPEN_TASK_STATUSES,
    DispatchQueueEntry,
    Extension,
    SuspensionRequest,
    Task,
    Unit,
    UnitRequest,
)
from reports.models import Category, Photo, Rating, Report, Status, Supporter

logger = logging.getLogger(__name__)

MAX_TEXT = 1000
MAX_EXTENSION_HOURS = 720
DISPATCHER = "指挥中心"
SYSTEM = "系统"
GRID_WORKER = "网格员"

# --- small helpers --------------------------------------------------------------------------------


def _clean(text: str | None, *, field: str, required: bool, message) -> str:
    text = (text or "").strip()
    if required and not text:
        raise SubmissionError(message, field=field, code="required")
    if len(text) > MAX_TEXT:
        raise SubmissionError(
            gettext_lazy("内容不能超过 1000 个字。"), field=field, code="too_long"
        )
    return text


def _require_dispatcher(actor: User) -> None:
    if not (actor.is_authenticated and actor.is_active and actor.is_dispatcher):
        raise NotPermitted(gettext_lazy("只有指挥中心调度员可以进行此操作。"))


def _require_member(actor: User, unit: Unit) -> None:
    if not membership.is_member(actor, unit):
        raise NotPermitted(gettext_lazy("您不是该任务承办单位的人员。"))


def _require_checker(actor: User, report: Report) -> dict:
    """A worker of the ticket's grid, or a dispatcher, checks the site, and never the person who
    did the grid-level work (separation of duties), unless they are their grid's only worker and
    CHECK_SELF_IN_ONE_WORKER_GRID allows it. Returns what the check's event records about it."""
    if actor.is_authenticated and actor.is_active and actor.is_dispatcher:
        return {}
    if not membership.serves_grid(actor, report.grid_id):
        raise NotPermitted(gettext_lazy("只有本网格的网格员或指挥中心可以核查此事项。"))
    did_the_work = report.tasks.filter(
        Q(accepted_by=actor) | Q(done_by=actor), level=Category.Level.GRID
    ).exists()
    if not did_the_work:
        return {}
    alone = membership.grid_worker_count(report.grid_id) == 1
    if alone and settings.CHECK_SELF_IN_ONE_WORKER_GRID:
        return {"self_checked": True}
    raise NotPermitted(
        gettext_lazy("处置人不能核查自己办理的事项，请由本网格其他网格员或指挥中心核查。")
    )


def _checker_label(actor: User) -> str:
    return label(DISPATCHER) if actor.is_dispatcher else label(GRID_WORKER)


def _lock(report: Report | int) -> Report:
    report_id = report if isinstance(report, int) else report.id
    return Report.objects.select_for_update().select_related("category").get(id=report_id)


def _lock_task(task: Task | int) -> tuple[Report, Task]:
    task_id = task if isinstance(task, int) else task.id
    report_id = Task.objects.values_list("report_id", flat=True).get(id=task_id)
    report = _lock(report_id)
    task = Task.objects.select_for_update().select_related("unit").get(id=task_id)
    return report, task


def _task_url(task: Task) -> str:
    try:
        return reverse("dispatch:task", args=[task.id])
    except NoReverseMatch:
        return ""


def _notify_unit(
    unit: Unit, *, kind: str, title: str, body: str = "", url: str = "", heads_only: bool = False
) -> int:
    sent = 0
    for person in membership.members(unit, heads_only=heads_only):
        account_actions.notify(recipient=person, kind=kind, title=title, body=body, url=url)
        sent += 1
    return sent


def _notify_dispatchers(*, kind: str, title: str, body: str = "") -> None:
    for person in User.objects.filter(is_dispatcher=True, is_active=True):
        account_actions.notify(recipient=person, kind=kind, title=title, body=body)


def _tell_reporter(report: Report, title: str, body: str = "") -> None:
    try:
        from reports.actions import notify_reporter
    except ImportError:  # the reports app without resident notifications
        return
    notify_reporter(report=report, title=title, body=body)


def _store_photos(
    uploads: Iterable, *, report: Report, kind: str, event, now, written: list[str]
) -> list[Photo]:
    """Validate and store photos with reports' processing (clean re-encoded JPEG, no EXIF).

    The names of the files written are appended to `written`, so that _FileGuard deletes them
    again when the transaction fails: a refused action leaves no orphaned file."""
    from reports.photos import process_photos

    processed = process_photos(list(uploads), required=False)
    known = set(report.photos.values_list("sha256", flat=True))
    photos = []
    for item in processed:
        if item.sha256 in known:
            continue
        name = default_storage.save(
            f"reports/{now:%Y/%m/%d}/{item.sha256}.jpg", ContentFile(item.content)
        )
        written.append(name)
        photos.append(
            Photo(
                report=report,
                event=event,
                kind=kind,
                image=name,
                sha256=item.sha256,
                width=item.width,
                height=item.height,
                created_at=now,
            )
        )
    return Photo.objects.bulk_create(photos)


class _FileGuard:
    """Collects the photo files an action writes; deletes them when the action fails."""

    def __enter__(self) -> list[str]:
        self.written: list[str] = []
        return self.written

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            for name in self.written:
                try:
                    default_storage.delete(name)
                except OSError:
                    logger.warning("could not remove %s", name)
        return False


def _live_tasks(report: Report) -> list[Task]:
    return list(report.tasks.filter(status__in=LIVE_TASK_STATUSES).select_related("unit"))


def _open_queue_entry(report: Report) -> DispatchQueueEntry | None:
    return report.queue_entries.filter(resolved_at=None).first()


def _enqueue(report: Report, *, reason: str, note: str = "") -> DispatchQueueEntry:
    entry = _open_queue_entry(report)
    if entry is None:
        entry = DispatchQueueEntry.objects.create(report=report, reason=reason, note=note)
    return entry


def _resolve_queue(report: Report, *, actor: User | None, now) -> None:
    report.queue_entries.filter(resolved_at=None).update(resolved_at=now, resolved_by=actor)


def _save(report: Report, *fields: str) -> None:
    report.save(update_fields=[*fields, "updated_at"])


def _follow_tasks(report: Report, *, now) -> None:
    """Move an open ticket to the state its live tasks imply (DESIGN §3):
    none live → submitted (back with the dispatcher); all done and nothing waiting for the
    dispatcher → handled; any accepted or done → processing; otherwise dispatched."""
    if report.status not in (Status.DISPATCHED, Status.PROCESSING, Status.HANDLED):
        return
    live = _live_tasks(report)
    fields = ["status"]
    if not live:
        status = Status.SUBMITTED
    elif all(t.status == Task.Status.DONE for t in live) and _open_queue_entry(report) is None:
        status = Status.HANDLED
        if report.handled_at is None:
            report.handled_at = now
            fields.append("handled_at")
        if report.status != Status.HANDLED:
            _start_check_clock(report, now=now)
            fields += CHECK_CLOCK_FIELDS
    elif any(t.status != Task.Status.PENDING for t in live):
        status = Status.PROCESSING
    else:
        status = Status.DISPATCHED
    if status != report.status:
        report.status = status
        _save(report, *fields)


CHECK_CLOCK_FIELDS = (
    "check_remind_due_at",
    "check_due_at",
    "check_reminded_at",
    "check_overdue_at",
)


def _start_check_clock(report: Report, *, now) -> None:
    """The ticket is handled: its on-site check is due within CHECK_LIMIT_HOURS working hours
    (reminder at 75%). Each time it becomes handled (a rework round too) the check clock starts
    again, because there is new work to check."""
    hours = settings.CHECK_LIMIT_HOURS
    report.check_remind_due_at = calendar.add_working_hours(now, hours * 0.75)
    report.check_due_at = calendar.add_working_hours(now, hours)
    report.check_reminded_at = report.check_overdue_at = None


def _set_due_times(task: Task) -> None:
    total = task.hours + task.extended_hours
    start = task.assigned_at
    task.remind_due_at = calendar.add_working_hours(start, total * 0.75, task.urgent)
    task.deadline = calendar.add_working_hours(start, total, task.urgent)
    task.official_due_at = calendar.add_working_hours(start, total * 2, task.urgent)


def _ticket_deadline_from_first_dispatch(report: Report, tasks: Sequence[Task]) -> None:
    """One clock per ticket (DESIGN §4): the ticket's deadline is its lead task's limit when it
    is first dispatched. Later tasks (上报, 返工, 改派, manual routing after returns) have their own
    limits but never move it; only an approved extension does (_decide_extension), and 挂账
    gives back the time that was left (resume_report)."""
    if report.deadline is not None or not tasks:
        return
    leads = [t.deadline for t in tasks if t.role == Task.Role.LEAD]
    report.deadline = max(leads or [t.deadline for t in tasks])


def _create_tasks(
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
    live = [] if fresh else _live_tasks(report)
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
        _set_due_times(task)
        tasks.append(task)
    Task.objects.bulk_create(tasks)
    if report.dispatched_at is None:
        report.dispatched_at = now
    report.handled_level = routing.higher_level(report.handled_level, level)
    _ticket_deadline_from_first_dispatch(report, tasks)
    _save(report, "dispatched_at", "handled_level", "deadline", *also_save)
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
                recipient=person, kind="task_assigned", title=title, body=body, url=_task_url(task)
            )
    return tasks


def _tasks_data(tasks: Iterable[Task]) -> list[dict]:
    return [
        {
            "task": t.id,
            "unit": t.unit.code,
            "role": t.role,
            "deadline": t.deadline.isoformat(),
        }
        for t in tasks
    ]


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


# --- routing --------------------------------------------------------------------------------------


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
        if report is None or report.status != Status.SUBMITTED:
            return []
        if (
            _open_queue_entry(report) is not None
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
            _enqueue(report, reason=reason)
            record(
                report=report,
                kind=Kind.AWAITING_MANUAL_ROUTING,
                actor=None,
                actor_label=label(SYSTEM),
                note=_("等待指挥中心人工派遣。"),
                data={"reason": reason},
            )
            _notify_dispatchers(
                kind="awaiting_manual_routing",
                title=_("%(number)s 待人工派遣") % {"number": report.number},
                body=str(DispatchQueueEntry.Reason(reason).label),
            )
            return []
        tasks = _create_tasks(
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
                "tasks": _tasks_data(tasks),
                "level": plan.level,
                "rule": plan.rule.id if plan.rule else None,
                "automatic": True,
            },
        )
        _tell_reporter(report, _("您反映的问题已派遣处置单位"), report.number)
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
    _require_dispatcher(actor)
    note = _clean(note, field="note", required=False, message="")
    units = _units_from_codes(lead_unit, cooperating_units)
    if hours is not None and not 0 < hours <= MAX_EXTENSION_HOURS:
        raise SubmissionError(gettext_lazy("办理时限应在 1 到 720 小时之间。"), field="hours")
    with transaction.atomic():
        report = _lock(report)
        if report.status not in (Status.SUBMITTED, Status.DISPATCHED, Status.PROCESSING):
            raise TransitionRefused(gettext_lazy("该事项当前状态不能派遣。"))
        now = timezone.now()
        default_hours, default_urgent = routing.time_limit(report, routing.matching_rule(report))
        level = lead_unit.level
        tasks = _create_tasks(
            report,
            units=units,
            level=level,
            hours=hours or default_hours,
            urgent=default_urgent if urgent is None else urgent,
            now=now,
        )
        if not tasks:
            raise TransitionRefused(gettext_lazy("所选单位已在处理该事项。"))
        _resolve_queue(report, actor=actor, now=now)
        from_status = report.status
        if report.status == Status.SUBMITTED:
            report.status = Status.DISPATCHED
            _save(report, "status")
        else:
            _follow_tasks(report, now=now)
        record(
            report=report,
            kind=Kind.DISPATCHED,
            actor=actor,
            actor_label=label(DISPATCHER),
            from_status=from_status,
            to_status=report.status,
            note=note
            or _("已派遣至：%(units)s") % {"units": "、".join(t.unit.name for t in tasks)},
            data={"tasks": _tasks_data(tasks), "level": level, "automatic": False},
        )
        if from_status == Status.SUBMITTED:
            _tell_reporter(report, _("您反映的问题已派遣处置单位"), report.number)
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
    _require_dispatcher(actor)
    reason = _clean(reason, field="reason", required=True, message=gettext_lazy("请说明改派原因。"))
    units = _units_from_codes(lead_unit, cooperating_units)
    with transaction.atomic():
        report = _lock(report)
        if report.status not in (Status.SUBMITTED, Status.DISPATCHED, Status.PROCESSING):
            raise TransitionRefused(gettext_lazy("该事项当前状态不能改派。"))
        now = timezone.now()
        from_status = report.status
        cancelled = list(report.tasks.select_for_update().filter(status__in=LIVE_TASK_STATUSES))
        report.tasks.filter(id__in=[t.id for t in cancelled]).update(
            status=Task.Status.CANCELLED, closed_at=now
        )
        default_hours, default_urgent = routing.time_limit(report, routing.matching_rule(report))
        tasks = _create_tasks(
            report,
            units=units,
            level=lead_unit.level,
            hours=hours or default_hours,
            urgent=default_urgent if urgent is None else urgent,
            now=now,
        )
        _resolve_queue(report, actor=actor, now=now)
        report.status = Status.DISPATCHED
        report.handled_at = None
        _save(report, "status", "handled_at")
        record(
            report=report,
            kind=Kind.REROUTED,
            actor=actor,
            actor_label=label(DISPATCHER),
            from_status=from_status,
            to_status=report.status,
            note=reason,
            data={"tasks": _tasks_data(tasks), "cancelled": [t.id for t in cancelled]},
        )
    return tasks


# --- tasks ----------------------------------------------------------------------------------------


def _task_refused(task: Task, *allowed: str) -> None:
    if task.status not in allowed:
        raise TransitionRefused(
            gettext_lazy("任务当前状态为“%(status)s”，不能进行此操作。")
            % {"status": task.get_status_display()}
        )


def _ticket_open(report: Report) -> None:
    if report.status not in (Status.DISPATCHED, Status.PROCESSING, Status.HANDLED):
        raise TransitionRefused(
            gettext_lazy("事项当前状态为“%(status)s”，不能进行此操作。")
            % {"status": report.get_status_display()}
        )


def accept_task(*, task: Task, actor: User, note: str = "") -> Task:
    """签收: a member of the task's unit takes it on. The first acceptance starts processing."""
    note = _clean(note, field="note", required=False, message="")
    with transaction.atomic():
        report, task = _lock_task(task)
        _require_member(actor, task.unit)
        _ticket_open(report)
        _task_refused(task, Task.Status.PENDING)
        now = timezone.now()
        task.status = Task.Status.ACCEPTED
        task.accepted_at = now
        task.accepted_by = actor
        task.save(update_fields=["status", "accepted_at", "accepted_by"])
        from_status = report.status
        if report.accepted_at is None:
            report.accepted_at = now
            _save(report, "accepted_at")
        _follow_tasks(report, now=now)
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
            _tell_reporter(report, _("您反映的问题正在处置"), report.number)
    return task


def add_progress_note(*, task: Task, actor: User, note: str, photos: Sequence = ()) -> Task:
    """A unit records what it did so far, optionally with photos."""
    note = _clean(note, field="note", required=True, message=gettext_lazy("请填写处置进展。"))
    with _FileGuard() as written, transaction.atomic():
        report, task = _lock_task(task)
        _require_member(actor, task.unit)
        _ticket_open(report)
        _task_refused(task, Task.Status.ACCEPTED)
        event = record(
            report=report,
            kind=Kind.TASK_PROGRESS,
            actor=actor,
            actor_label=task.unit.name,
            note=note,
            data={"task": task.id, "unit": task.unit.code},
        )
        _store_photos(
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
    note = _clean(note, field="note", required=True, message=gettext_lazy("请填写处置结果。"))
    if not photo:
        raise SubmissionError(gettext_lazy("请上传处置后照片。"), field="photo", code="no_photo")
    with _FileGuard() as written, transaction.atomic():
        report, task = _lock_task(task)
        _require_member(actor, task.unit)
        _ticket_open(report)
        _task_refused(task, Task.Status.ACCEPTED)
        now = timezone.now()
        task.status = Task.Status.DONE
        task.done_at = now
        task.done_by = actor
        task.note = note
        task.save(update_fields=["status", "done_at", "done_by", "note"])
        from_status = report.status
        _follow_tasks(report, now=now)
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
        _store_photos(
            [photo], report=report, kind=Photo.Kind.AFTER, event=event, now=now, written=written
        )
        if report.status == Status.HANDLED:
            _tell_reporter(report, _("您反映的问题已处置完毕，等待现场核查"), report.number)
    return task


def return_task(*, task: Task, actor: User, reason: str) -> Task:
    """退回: not this unit's matter. The task ends and the ticket waits for the dispatcher."""
    reason = _clean(reason, field="reason", required=True, message=gettext_lazy("请说明退回理由。"))
    with transaction.atomic():
        report, task = _lock_task(task)
        _require_member(actor, task.unit)
        _ticket_open(report)
        _task_refused(task, Task.Status.PENDING, Task.Status.ACCEPTED)
        now = timezone.now()
        task.status = Task.Status.RETURNED
        task.closed_at = now
        task.note = reason
        task.save(update_fields=["status", "closed_at", "note"])
        _enqueue(report, reason=DispatchQueueEntry.Reason.RETURNED, note=reason)
        from_status = report.status
        _follow_tasks(report, now=now)
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
        _notify_dispatchers(
            kind="task_returned",
            title=_("%(number)s 被%(unit)s退回")
            % {"number": report.number, "unit": task.unit.name},
            body=reason,
        )
    return task


def request_extension(*, task: Task, actor: User, hours: int, reason: str) -> Extension:
    """延期申请: the unit asks the dispatcher for more (working) hours."""
    reason = _clean(reason, field="reason", required=True, message=gettext_lazy("请说明延期理由。"))
    if not isinstance(hours, int) or not 0 < hours <= MAX_EXTENSION_HOURS:
        raise SubmissionError(
            gettext_lazy("延期时长应在 1 到 720 小时之间。"), field="hours", code="bad_hours"
        )
    with transaction.atomic():
        report, task = _lock_task(task)
        _require_member(actor, task.unit)
        _ticket_open(report)
        _task_refused(task, Task.Status.PENDING, Task.Status.ACCEPTED)
        if task.extensions.filter(status=Extension.Status.PENDING).exists():
            raise TransitionRefused(gettext_lazy("该任务已有待审批的延期申请。"))
        extension = Extension.objects.create(
            task=task, hours=hours, reason=reason, requested_by=actor
        )
        record(
            report=report,
            kind=Kind.EXTENSION_REQUESTED,
            actor=actor,
            actor_label=task.unit.name,
            note=reason,
            public=False,
            data={"task": task.id, "extension": extension.id, "hours": hours},
        )
        _notify_dispatchers(
            kind="extension_requested",
            title=_("%(unit)s 申请延期 %(hours)s 小时：%(number)s")
            % {"unit": task.unit.name, "hours": hours, "number": report.number},
            body=reason,
        )
    return extension


def _lock_pending_request(model, request_id: int, *, decided_message):
    """Lock a unit's request with its ticket and task (ticket, then task, then request: the
    order every action takes); refuse one that was already decided."""
    task_id = model.objects.values_list("task_id", flat=True).get(id=request_id)
    report, task = _lock_task(task_id)
    request = model.objects.select_for_update().get(id=request_id)
    if request.status != UnitRequest.Status.PENDING:
        raise TransitionRefused(decided_message)
    return report, task, request


def _record_decision(request: UnitRequest, *, actor: User, approve: bool, note: str, now) -> None:
    request.status = UnitRequest.Status.APPROVED if approve else UnitRequest.Status.REFUSED
    request.decided_by = actor
    request.decided_at = now
    request.decision_note = note
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])


def _decide_extension(*, extension: Extension, actor: User, approve: bool, note: str) -> Extension:
    _require_dispatcher(actor)
    with transaction.atomic():
        report, task, extension = _lock_pending_request(
            Extension, extension.id, decided_message=gettext_lazy("该延期申请已经审批过了。")
        )
        now = timezone.now()
        _record_decision(extension, actor=actor, approve=approve, note=note, now=now)
        data = {"task": task.id, "extension": extension.id, "hours": extension.hours}
        if approve:
            if task.status not in OPEN_TASK_STATUSES:
                raise TransitionRefused(gettext_lazy("任务已结束，不能延期。"))
            task.extended_hours += extension.hours
            _set_due_times(task)
            # The new deadline starts its own reminders; those already past stay claimed.
            for claim, due in (
                ("reminded_at", task.remind_due_at),
                ("overdue_at", task.deadline),
                ("official_listed_at", task.official_due_at),
            ):
                if getattr(task, claim) is not None and due > now:
                    setattr(task, claim, None)
            task.save(
                update_fields=[
                    "extended_hours",
                    "remind_due_at",
                    "deadline",
                    "official_due_at",
                    "reminded_at",
                    "overdue_at",
                    "official_listed_at",
                ]
            )
            # The one thing that moves the ticket's clock: an approved extension.
            if report.deadline is None or task.deadline > report.deadline:
                report.deadline = task.deadline
                _save(report, "deadline")
            if report.overdue_at is not None and report.deadline and report.deadline > now:
                if not report.tasks.filter(
                    status__in=OPEN_TASK_STATUSES, deadline__lte=now
                ).exists():
                    report.overdue_at = None
                    _save(report, "overdue_at")
            data["deadline"] = task.deadline.isoformat()
        record(
            report=report,
            kind=Kind.EXTENSION_APPROVED if approve else Kind.EXTENSION_REFUSED,
            actor=actor,
            actor_label=label(DISPATCHER),
            note=note,
            public=False,
            data=data,
        )
        title = (
            _("延期申请已批准：%(number)s") if approve else _("延期申请未批准：%(number)s")
        ) % {"number": report.number}
        _notify_unit(
            task.unit, kind="extension_decided", title=title, body=note, url=_task_url(task)
        )
    return extension


def approve_extension(*, extension: Extension, actor: User, note: str = "") -> Extension:
    note = _clean(note, field="note", required=False, message="")
    return _decide_extension(extension=extension, actor=actor, approve=True, note=note)


def refuse_extension(*, extension: Extension, actor: User, note: str = "") -> Extension:
    note = _clean(note, field="note", required=False, message="")
    return _decide_extension(extension=extension, actor=actor, approve=False, note=note)


def request_suspension(*, task: Task, actor: User, reason: str) -> SuspensionRequest:
    """挂账申请: the unit asks the dispatcher to suspend the ticket (long-term work)."""
    reason = _clean(reason, field="reason", required=True, message=gettext_lazy("请说明挂账理由。"))
    with transaction.atomic():
        report, task = _lock_task(task)
        _require_member(actor, task.unit)
        _suspendable(report)
        _task_refused(task, Task.Status.PENDING, Task.Status.ACCEPTED)
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
        _notify_dispatchers(
            kind="suspension_requested",
            title=_("%(unit)s 申请挂账：%(number)s")
            % {"unit": task.unit.name, "number": report.number},
            body=reason,
        )
    return suspension


def _decide_suspension(
    *, suspension: SuspensionRequest, actor: User, approve: bool, note: str
) -> SuspensionRequest:
    _require_dispatcher(actor)
    with transaction.atomic():
        report, task, suspension = _lock_pending_request(
            SuspensionRequest,
            suspension.id,
            decided_message=gettext_lazy("该挂账申请已经审批过了。"),
        )
        _record_decision(suspension, actor=actor, approve=approve, note=note, now=timezone.now())
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
        _notify_unit(
            task.unit, kind="suspension_decided", title=title, body=note, url=_task_url(task)
        )
    return suspension


def approve_suspension(
    *, suspension: SuspensionRequest, actor: User, note: str = ""
) -> SuspensionRequest:
    """The ticket is suspended (挂账) in the same transaction; the unit is told."""
    note = _clean(note, field="note", required=False, message="")
    return _decide_suspension(suspension=suspension, actor=actor, approve=True, note=note)


def refuse_suspension(
    *, suspension: SuspensionRequest, actor: User, note: str = ""
) -> SuspensionRequest:
    note = _clean(note, field="note", required=False, message="")
    return _decide_suspension(suspension=suspension, actor=actor, approve=False, note=note)


def escalate_task(*, task: Task, actor: User, reason: str) -> list[Task]:
    """上报: a grid team or community committee cannot settle it; the next level gets a task
    (grid team → community committee → the rule's departments)."""
    reason = _clean(reason, field="reason", required=True, message=gettext_lazy("请说明上报原因。"))
    with transaction.atomic():
        report, task = _lock_task(task)
        _require_member(actor, task.unit)
        _ticket_open(report)
        _task_refused(task, Task.Status.PENDING, Task.Status.ACCEPTED)
        if task.level not in routing.NEXT_LEVEL:
            raise TransitionRefused(gettext_lazy("部门任务不能再向上级上报，请退回或申请延期。"))
        now = timezone.now()
        task.status = Task.Status.ESCALATED
        task.closed_at = now
        task.note = reason
        task.save(update_fields=["status", "closed_at", "note"])
        plan = routing.escalation_plan(report, task.level)
        from_status = report.status
        new_tasks: list[Task] = []
        if plan is None:
            _enqueue(report, reason=DispatchQueueEntry.Reason.ESCALATED, note=reason)
            _notify_dispatchers(
                kind="awaiting_manual_routing",
                title=_("%(number)s 待人工派遣") % {"number": report.number},
                body=reason,
            )
        else:
            new_tasks = _create_tasks(
                report,
                units=plan.units,
                level=plan.level,
                hours=plan.hours,
                urgent=plan.urgent,
                rule=plan.rule,
                parent=task,
                now=now,
            )
        _follow_tasks(report, now=now)
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
                "tasks": _tasks_data(new_tasks),
            },
        )
    return new_tasks


# --- tickets (the dispatcher and the on-site check) ----------------------------------------------


def _cancel_live_tasks(report: Report, *, now) -> list[int]:
    ids = list(
        report.tasks.select_for_update()
        .filter(status__in=LIVE_TASK_STATUSES)
        .values_list("id", flat=True)
    )
    Task.objects.filter(id__in=ids).update(status=Task.Status.CANCELLED, closed_at=now)
    return ids


def merge_duplicate(*, report: Report, into: Report, actor: User, note: str = "") -> Report:
    """重复件: merge a report into an earlier open one; its reporter and followers follow that one."""
    _require_dispatcher(actor)
    note = _clean(note, field="note", required=False, message="")
    if report.id == into.id:
        raise SubmissionError(gettext_lazy("不能合并到事项本身。"), field="into", code="same")
    with transaction.atomic():
        # Lock both in id order: two merges of the same pair cannot deadlock.
        first, second = sorted([report.id, into.id])
        locked = {first: _lock(first), second: _lock(second)}
        report, into = locked[report.id], locked[into.id]
        if report.status not in (Status.SUBMITTED, Status.DISPATCHED, Status.PROCESSING):
            raise TransitionRefused(gettext_lazy("该事项当前状态不能合并。"))
        if not into.is_open:
            raise TransitionRefused(gettext_lazy("只能合并到尚未办结的事项。"))
        if (into.submitted_at, into.id) >= (report.submitted_at, report.id):
            raise TransitionRefused(gettext_lazy("只能合并到更早上报的事项。"))
        now = timezone.now()
        from_status = report.status
        cancelled = _cancel_live_tasks(report, now=now)
        _resolve_queue(report, actor=actor, now=now)
        report.status = Status.DUPLICATE
        report.merged_into = into
        _save(report, "status", "merged_into")
        followers = []
        if report.reporter_id:
            followers.append((report.reporter_id, report.contact_phone))
        followers += list(
            report.supporters.filter(user__isnull=False).values_list("user_id", "contact_phone")
        )
        added = 0
        for user_id, phone in followers:
            if user_id == into.reporter_id:
                continue
            _supporter, made = Supporter.objects.get_or_create(
                report=into, user_id=user_id, defaults={"contact_phone": phone}
            )
            added += made
        if added:
            Report.objects.filter(id=into.id).update(supporter_count=F("supporter_count") + added)
        record(
            report=report,
            kind=Kind.MERGED_AS_DUPLICATE,
            actor=actor,
            actor_label=label(DISPATCHER),
            from_status=from_status,
            to_status=Status.DUPLICATE,
            note=note or _("与 %(number)s 为同一问题，已合并。") % {"number": into.number},
            data={"into": into.number, "cancelled": cancelled},
        )
        record(
            report=into,
            kind=Kind.DUPLICATE_MERGED_IN,
            actor=actor,
            actor_label=label(DISPATCHER),
            note=_("合并了重复上报 %(number)s。") % {"number": report.number},
            data={"duplicate": report.number, "followers_added": added},
        )
        _tell_reporter(
            report,
            _("您反映的问题已合并到 %(number)s 一并处理") % {"number": into.number},
            into.number,
        )
    return report


def reject_report(*, report: Report, actor: User, reason: str) -> Report:
    """不予受理: out of jurisdiction, not a governance matter, abusive. Reason required."""
    _require_dispatcher(actor)
    reason = _clean(
        reason, field="reason", required=True, message=gettext_lazy("请说明不予受理的理由。")
    )
    with transaction.atomic():
        report = _lock(report)
        if report.status not in (Status.SUBMITTED, Status.DISPATCHED, Status.PROCESSING):
            raise TransitionRefused(gettext_lazy("该事项当前状态不能作不予受理处理。"))
        now = timezone.now()
        from_status = report.status
        cancelled = _cancel_live_tasks(report, now=now)
        _resolve_queue(report, actor=actor, now=now)
        report.status = Status.REJECTED
        _save(report, "status")
        record(
            report=report,
            kind=Kind.REJECTED,
            actor=actor,
            actor_label=label(DISPATCHER),
            from_status=from_status,
            to_status=Status.REJECTED,
            note=reason,
            data={"cancelled": cancelled},
        )
        _tell_reporter(report, _("您反映的问题不予受理"), reason)
    return report


def suspend_report(*, report: Report, actor: User, reason: str) -> Report:
    """挂账: approved long-term work; leaves the on-time count and the deadline watch."""
    _require_dispatcher(actor)
    reason = _clean(reason, field="reason", required=True, message=gettext_lazy("请说明挂账理由。"))
    with transaction.atomic():
        report = _lock(report)
        _suspend_locked(report, actor=actor, reason=reason)
    return report


def _suspendable(report: Report) -> None:
    if report.status not in (Status.DISPATCHED, Status.PROCESSING):
        raise TransitionRefused(gettext_lazy("只有处置中的事项可以挂账。"))


def _suspend_locked(report: Report, *, actor: User, reason: str, data: dict | None = None) -> None:
    """The 挂账 itself, on a ticket the caller has locked: status, one event, the reporter told."""
    _suspendable(report)
    from_status = report.status
    report.status = Status.SUSPENDED
    _save(report, "status")
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
    _tell_reporter(report, _("您反映的问题已列入长期整改（挂账）"), reason)


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
    _require_dispatcher(actor)
    note = _clean(note, field="note", required=False, message="")
    with transaction.atomic():
        report = _lock(report)
        if report.status != Status.SUSPENDED:
            raise TransitionRefused(gettext_lazy("只有挂账的事项可以恢复办理。"))
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
            task.save(
                update_fields=[
                    "remind_due_at",
                    "deadline",
                    "official_due_at",
                    "reminded_at",
                    "overdue_at",
                    "official_listed_at",
                ]
            )
        if report.deadline is not None:
            report.deadline = _time_left_given_back(
                report.deadline,
                paused_at=paused_at,
                now=now,
                urgent=any(t.urgent for t in open_tasks) or report.category.urgent,
            )
        report.status = Status.DISPATCHED
        _follow_tasks(report, now=now)
        _save(report, "status", "deadline")
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


def check_and_close(
    *,
    report: Report,
    actor: User,
    photo,
    note: str = "",
    dispute_settled: bool | None = None,
) -> Report:
    """核查结案: a worker of the ticket's grid (or a dispatcher) confirmed the fix on site."""
    note = _clean(note, field="note", required=False, message="")
    if not photo:
        raise SubmissionError(gettext_lazy("请上传现场核查照片。"), field="photo", code="no_photo")
    with _FileGuard() as written, transaction.atomic():
        report = _lock(report)
        duties = _require_checker(actor, report)
        if report.status == Status.CLOSED:
            # Said plainly: a worker replaying a close queued offline learns someone was first.
            raise TransitionRefused(gettext_lazy("该事项已由他人核查结案。"))
        if report.status != Status.HANDLED:
            raise TransitionRefused(gettext_lazy("所有任务处置完毕后才能核查结案。"))
        is_dispute = report.category.kind == Category.Kind.DISPUTE
        if is_dispute and dispute_settled is None:
            raise SubmissionError(
                gettext_lazy("矛盾纠纷结案时请选择是否化解成功。"),
                field="dispute_settled",
                code="required",
            )
        now = timezone.now()
        report.status = Status.CLOSED
        report.closed_at = now
        fields = ["status", "closed_at"]
        if is_dispute:
            report.dispute_settled = bool(dispute_settled)
            fields.append("dispute_settled")
        _save(report, *fields)
        event = record(
            report=report,
            kind=Kind.CLOSED,
            actor=actor,
            actor_label=_checker_label(actor),
            from_status=Status.HANDLED,
            to_status=Status.CLOSED,
            note=note or _("经现场核查，问题已解决。"),
            data={
                **({"dispute_settled": report.dispute_settled} if is_dispute else {}),
                **duties,
                "checked_on_time": report.check_due_at is None or now <= report.check_due_at,
            },
        )
        _store_photos(
            [photo], report=report, kind=Photo.Kind.CHECK, event=event, now=now, written=written
        )
        _tell_reporter(report, _("您反映的问题已办结，欢迎评价"), report.number)
    return report


def _rework(report: Report, *, now) -> list[int]:
    """Give the finished tasks back to their units (返工): a rework round with its own task time
    limits, so the units are chased again; the ticket's own deadline does not move."""
    reopened = []
    for task in report.tasks.select_for_update().filter(status=Task.Status.DONE):
        task.status = Task.Status.PENDING
        task.assigned_at = now
        task.extended_hours = 0
        task.accepted_at = task.accepted_by = task.done_at = task.done_by = None
        task.reminded_at = task.overdue_at = task.official_listed_at = None
        _set_due_times(task)
        task.save(
            update_fields=[
                "status",
                "assigned_at",
                "extended_hours",
                "accepted_at",
                "accepted_by",
                "done_at",
                "done_by",
                "remind_due_at",
                "deadline",
                "official_due_at",
                "reminded_at",
                "overdue_at",
                "official_listed_at",
            ]
        )
        reopened.append(task)
    for task in reopened:
        _notify_unit(
            task.unit,
            kind="task_reworked",
            title=_("返工：%(number)s") % {"number": report.number},
            url=_task_url(task),
        )
    report.status = Status.DISPATCHED
    report.reopened_count += 1
    report.handled_at = None
    report.closed_at = None
    # A new round will close again and may be rated again: the latest rating of the latest round
    # counts, earlier ones stay on the timeline (their "rated" events).
    report.rating, report.rating_comment, report.rated_at = "", "", None
    # The ticket keeps its deadline and its overdue state: 返工 is the same demand, late or not.
    _save(
        report,
        "status",
        "reopened_count",
        "handled_at",
        "closed_at",
        "rating",
        "rating_comment",
        "rated_at",
    )
    return [t.id for t in reopened]


def send_back(*, report: Report, actor: User, reason: str) -> Report:
    """返工 after the on-site check failed: back to dispatched, the units work it again."""
    reason = _clean(reason, field="reason", required=True, message=gettext_lazy("请说明返工原因。"))
    with transaction.atomic():
        report = _lock(report)
        duties = _require_checker(actor, report)
        if report.status != Status.HANDLED:
            raise TransitionRefused(gettext_lazy("只有待核查的事项可以返工。"))
        now = timezone.now()
        tasks = _rework(report, now=now)
        record(
            report=report,
            kind=Kind.SENT_BACK,
            actor=actor,
            actor_label=_checker_label(actor),
            from_status=Status.HANDLED,
            to_status=Status.DISPATCHED,
            note=reason,
            data={"tasks": tasks, "reopened_count": report.reopened_count, **duties},
        )
    return report


def refuse_beyond_reopen_limit(report: Report) -> None:
    """A ticket is reopened (on 不满意 or on request) at most REOPEN_LIMIT times; after that the
    dispatcher reviews it and answers the resident instead of starting another round."""
    if report.reopened_count >= settings.REOPEN_LIMIT:
        raise TransitionRefused(
            gettext_lazy("该事项已重新办理 %(count)s 次，达到上限：请指挥中心复核后直接答复群众。")
            % {"count": report.reopened_count}
        )


def reopen_after_unsatisfied(*, report: Report, actor: User, note: str = "") -> Report:
    """The dispatcher reopens a closed ticket its reporter rated 不满意 (返工, counted), at most
    REOPEN_LIMIT times; the reporter may rate the new round again."""
    _require_dispatcher(actor)
    note = _clean(note, field="note", required=False, message="")
    with transaction.atomic():
        report = _lock(report)
        if report.status != Status.CLOSED or report.rating != Rating.UNSATISFIED:
            raise TransitionRefused(gettext_lazy("只有评价为不满意的已办结事项可以重新办理。"))
        refuse_beyond_reopen_limit(report)
        now = timezone.now()
        tasks = _rework(report, now=now)
        if not tasks:
            _enqueue(report, reason=DispatchQueueEntry.Reason.UNSATISFIED, note=note)
        record(
            report=report,
            kind=Kind.REOPENED,
            actor=actor,
            actor_label=label(DISPATCHER),
            from_status=Status.CLOSED,
            to_status=report.status,
            note=note or report.rating_comment,
            data={"tasks": tasks, "reopened_count": report.reopened_count},
        )
        _tell_reporter(report, _("您反映的问题已重新交办"), report.number)
    return report


# --- the deadline watch ---------------------------------------------------------------------------

WATCHED_REPORT_STATUSES = (Status.DISPATCHED, Status.PROCESSING)


def _due(claim: str, due: str, now: dt.datetime) -> list[int]:
    return list(
        Task.objects.filter(
            status__in=OPEN_TASK_STATUSES,
            report__status__in=WATCHED_REPORT_STATUSES,
            **{claim: None, f"{due}__lte": now},
        )
        .order_by(due)
        .values_list("id", flat=True)[:500]
    )


def _claim(task_id: int, claim: str, now: dt.datetime) -> Task | None:
    """Claim one reminder: the conditional update succeeds for exactly one watcher, and its row
    lock holds the others until this transaction commits (then they see the claim taken).

    The ticket is locked first, as every action does (ticket, then task): a watcher and a unit
    accepting the same task at that moment wait for each other instead of deadlocking."""
    report_id = Task.objects.filter(id=task_id).values_list("report_id", flat=True).first()
    if report_id is None:
        return None
    Report.objects.select_for_update().filter(id=report_id).values_list("id", flat=True).first()
    claimed = Task.objects.filter(
        id=task_id,
        status__in=OPEN_TASK_STATUSES,
        report__status__in=WATCHED_REPORT_STATUSES,
        **{claim: None},
    ).update(**{claim: now})
    if claimed != 1:
        return None
    return Task.objects.select_related("unit", "report").get(id=task_id)


def remind_task(*, task_id: int, now: dt.datetime | None = None) -> bool:
    """催办 at 75% of the time: the unit's people are reminded. Exactly once per time limit."""
    now = now or timezone.now()
    with transaction.atomic():
        task = _claim(task_id, "reminded_at", now)
        if task is None:
            return False
        report = task.report
        _notify_unit(
            task.unit,
            kind="task_reminder",
            title=_("催办：%(number)s 将于 %(deadline)s 到期")
            % {
                "number": report.number,
                "deadline": timezone.localtime(task.deadline).strftime("%m-%d %H:%M"),
            },
            url=_task_url(task),
        )
        record(
            report=report,
            kind=Kind.TASK_REMINDED,
            actor=None,
            actor_label=label(SYSTEM),
            public=False,
            data={"task": task.id, "unit": task.unit.code},
        )
    return True


def supervise_overdue_task(*, task_id: int, now: dt.datetime | None = None) -> bool:
    """督办 at the deadline: the unit's head and the dispatchers are told; the ticket is overdue."""
    now = now or timezone.now()
    with transaction.atomic():
        task = _claim(task_id, "overdue_at", now)
        if task is None:
            return False
        report = task.report
        Report.objects.filter(id=report.id, overdue_at=None).update(overdue_at=now)
        title = _("督办：%(number)s（%(unit)s）已超期") % {
            "number": report.number,
            "unit": task.unit.name,
        }
        _notify_unit(
            task.unit, kind="task_overdue", title=title, url=_task_url(task), heads_only=True
        )
        _notify_dispatchers(kind="task_overdue", title=title)
        record(
            report=report,
            kind=Kind.TASK_OVERDUE,
            actor=None,
            actor_label=label(SYSTEM),
            public=False,
            data={"task": task.id, "unit": task.unit.code},
        )
    return True


def _officials_in_scope(report: Report) -> list[User]:
    """City officials, and the leaders of the ticket's 街道."""
    return list(
        User.objects.filter(is_official=True, is_active=True).filter(
            Q(street_leadership__isnull=True) | Q(street_leadership__street_id=report.street_id)
        )
    )


def list_task_for_officials(*, task_id: int, now: dt.datetime | None = None) -> bool:
    """At twice the time the task joins the officials' overdue list (Task.official_listed_at) and
    the officials in scope (the city's, the ticket's 街道 leaders) are told."""
    now = now or timezone.now()
    with transaction.atomic():
        task = _claim(task_id, "official_listed_at", now)
        if task is None:
            return False
        report = task.report
        title = _("领导督办：%(number)s（%(unit)s）超过时限一倍") % {
            "number": report.number,
            "unit": task.unit.name,
        }
        url = reverse("dispatch:ticket", args=[report.number])
        for person in _officials_in_scope(report):
            account_actions.notify(
                recipient=person, kind="task_listed_for_officials", title=title, url=url
            )
        record(
            report=task.report,
            kind=Kind.TASK_LISTED_FOR_OFFICIALS,
            actor=None,
            actor_label=label(SYSTEM),
            public=False,
            data={"task": task.id, "unit": task.unit.code},
        )
    return True


def _claim_check(report_id: int, claim: str, due: str, now: dt.datetime) -> Report | None:
    """Claim one check reminder on a handled ticket, exactly once (as _claim does for tasks)."""
    claimed = Report.objects.filter(
        id=report_id, status=Status.HANDLED, **{claim: None, f"{due}__lte": now}
    ).update(**{claim: now, "updated_at": now})
    if claimed != 1:
        return None
    return Report.objects.select_related("grid").get(id=report_id)


def _grid_workers(report: Report) -> list[User]:
    team = Unit.objects.filter(grid_id=report.grid_id).first()
    return list(membership.members(team)) if team else []


def remind_check(*, report_id: int, now: dt.datetime | None = None) -> bool:
    """催办 of the on-site check at 75% of its limit: the grid's workers are reminded. Once."""
    now = now or timezone.now()
    with transaction.atomic():
        report = _claim_check(report_id, "check_reminded_at", "check_remind_due_at", now)
        if report is None:
            return False
        title = _("待核查：%(number)s 请于 %(due)s 前现场核查") % {
            "number": report.number,
            "due": timezone.localtime(report.check_due_at).strftime("%m-%d %H:%M"),
        }
        url = reverse("dispatch:ticket", args=[report.number])
        for person in _grid_workers(report):
            account_actions.notify(recipient=person, kind="check_reminder", title=title, url=url)
        record(
            report=report,
            kind=Kind.CHECK_REMINDED,
            actor=None,
            actor_label=label(SYSTEM),
            public=False,
            data={"check_due_at": report.check_due_at.isoformat()},
        )
    return True


def supervise_overdue_check(*, report_id: int, now: dt.datetime | None = None) -> bool:
    """督办 of the on-site check at its limit: the grid's workers and the dispatchers are told."""
    now = now or timezone.now()
    with transaction.atomic():
        report = _claim_check(report_id, "check_overdue_at", "check_due_at", now)
        if report is None:
            return False
        title = _("督办：%(number)s 超过核查时限未核查") % {"number": report.number}
        url = reverse("dispatch:ticket", args=[report.number])
        for person in _grid_workers(report):
            account_actions.notify(recipient=person, kind="check_overdue", title=title, url=url)
        _notify_dispatchers(kind="check_overdue", title=title)
        record(
            report=report,
            kind=Kind.CHECK_OVERDUE,
            actor=None,
            actor_label=label(SYSTEM),
            public=False,
            data={"check_due_at": report.check_due_at.isoformat()},
        )
    return True


def watch_checks(*, now: dt.datetime | None = None) -> dict[str, int]:
    """One pass of the check watch over handled tickets; how many of each step it performed."""
    now = now or timezone.now()
    done = {"check_reminded": 0, "check_overdue": 0}
    handled = Report.objects.filter(status=Status.HANDLED)
    for report_id in handled.filter(
        check_reminded_at=None, check_remind_due_at__lte=now
    ).values_list("id", flat=True)[:500]:
        done["check_reminded"] += remind_check(report_id=report_id, now=now)
    for report_id in handled.filter(check_overdue_at=None, check_due_at__lte=now).values_list(
        "id", flat=True
    )[:500]:
        done["check_overdue"] += supervise_overdue_check(report_id=report_id, now=now)
    return done


def watch_deadlines(*, now: dt.datetime | None = None) -> dict[str, int]:
    """One pass of the deadline watch; returns how many of each step this pass performed."""
    now = now or timezone.now()
    done = {"reminded": 0, "overdue": 0, "official": 0}
    for task_id in _due("reminded_at", "remind_due_at", now):
        done["reminded"] += remind_task(task_id=task_id, now=now)
    for task_id in _due("overdue_at", "deadline", now):
        done["overdue"] += supervise_overdue_task(task_id=task_id, now=now)
    for task_id in _due("official_listed_at", "official_due_at", now):
        done["official"] += list_task_for_officials(task_id=task_id, now=now)
    return done
