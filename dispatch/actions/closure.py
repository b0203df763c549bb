"""The on-site check and closure, sending back for rework, and reopening (after an unsatisfied
rating or on the reporter's request).
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from dispatch import lifecycle
from dispatch.actions.bookkeeping import enqueue, save_task, save_ticket, set_due_times
from dispatch.actions.guards import (
    DISPATCHER,
    checker_label,
    clean_text,
    require_checker,
    require_dispatcher,
)
from dispatch.actions.locking import lock_report
from dispatch.actions.notifications import notify_unit, task_url, tell_reporter
from dispatch.actions.photos import FileGuard, store_photos
from dispatch.errors import SubmissionError, TransitionRefused
from dispatch.events import Kind, label, record
from dispatch.models import (
    DispatchQueueEntry,
    Task,
)
from reports.models import Category, Photo, Rating, Report, Status


def check_and_close(
    *,
    report: Report,
    actor: User,
    photo,
    note: str = "",
    dispute_settled: bool | None = None,
) -> Report:
    """核查结案: a worker of the ticket's grid (or a dispatcher) confirmed the fix on site."""
    note = clean_text(note, field="note", required=False, message="")
    if not photo:
        raise SubmissionError(gettext_lazy("请上传现场核查照片。"), field="photo", code="no_photo")
    with FileGuard() as written, transaction.atomic():
        report = lock_report(report)
        duties = require_checker(actor, report)
        lifecycle.refuse_unless(lifecycle.CLOSE, report)
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
        save_ticket(report, *fields)
        event = record(
            report=report,
            kind=Kind.CLOSED,
            actor=actor,
            actor_label=checker_label(actor),
            from_status=Status.HANDLED,
            to_status=Status.CLOSED,
            note=note or _("经现场核查，问题已解决。"),
            data={
                **({"dispute_settled": report.dispute_settled} if is_dispute else {}),
                **duties,
                "checked_on_time": report.check_due_at is None or now <= report.check_due_at,
            },
        )
        store_photos(
            [photo], report=report, kind=Photo.Kind.CHECK, event=event, now=now, written=written
        )
        tell_reporter(report, _("您反映的问题已办结，欢迎评价"), report.number)
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
        set_due_times(task)
        save_task(
            task,
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
        )
        reopened.append(task)
    for task in reopened:
        notify_unit(
            task.unit,
            kind="task_reworked",
            title=_("返工：%(number)s") % {"number": report.number},
            url=task_url(task),
        )
    report.status = Status.DISPATCHED
    report.reopened_count += 1
    report.handled_at = None
    report.closed_at = None
    # A new round will close again and may be rated again: the latest rating of the latest round
    # counts, earlier ones stay on the timeline (their "rated" events).
    report.rating, report.rating_comment, report.rated_at = "", "", None
    # The ticket keeps its deadline and its overdue state: 返工 is the same demand, late or not.
    save_ticket(
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
    reason = clean_text(
        reason, field="reason", required=True, message=gettext_lazy("请说明返工原因。")
    )
    with transaction.atomic():
        report = lock_report(report)
        duties = require_checker(actor, report)
        lifecycle.refuse_unless(lifecycle.SEND_BACK, report)
        now = timezone.now()
        tasks = _rework(report, now=now)
        record(
            report=report,
            kind=Kind.SENT_BACK,
            actor=actor,
            actor_label=checker_label(actor),
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


def _reopen_round(report: Report, *, actor: User, note: str) -> Report:
    """A new round on a closed ticket the caller has locked and checked (返工, counted): within
    REOPEN_LIMIT, the units' tasks reopened (or the dispatcher's queue), one event, the reporter
    told. `note` is the event's text (taken before the round clears the rating)."""
    refuse_beyond_reopen_limit(report)
    tasks = _rework(report, now=timezone.now())
    if not tasks:
        enqueue(report, reason=DispatchQueueEntry.Reason.UNSATISFIED, note=note)
    record(
        report=report,
        kind=Kind.REOPENED,
        actor=actor,
        actor_label=label(DISPATCHER),
        from_status=Status.CLOSED,
        to_status=report.status,
        note=note,
        data={"tasks": tasks, "reopened_count": report.reopened_count},
    )
    tell_reporter(report, _("您反映的问题已重新交办"), report.number)
    return report


def reopen_after_unsatisfied(*, report: Report, actor: User, note: str = "") -> Report:
    """The dispatcher reopens a closed ticket its reporter rated 不满意 (返工, counted), at most
    REOPEN_LIMIT times; the reporter may rate the new round again."""
    require_dispatcher(actor)
    note = clean_text(note, field="note", required=False, message="")
    with transaction.atomic():
        report = lock_report(report)
        if report.rating != Rating.UNSATISFIED:
            raise TransitionRefused(lifecycle.REOPEN.refusal)
        lifecycle.refuse_unless(lifecycle.REOPEN, report)
        return _reopen_round(report, actor=actor, note=note or report.rating_comment)


def reopen_on_request(*, report: Report, actor: User, note: str = "") -> Report:
    """The dispatcher grants a reporter's request to reopen a closed ticket (返工, counted).
    A 不满意 rating goes through reopen_after_unsatisfied instead."""
    require_dispatcher(actor)
    note = clean_text(note, field="note", required=False, message="")
    with transaction.atomic():
        report = lock_report(report)
        if (
            not lifecycle.REOPEN.allows(report.status)
            or not report.events.filter(
                kind="reopen_requested", created_at__gte=report.closed_at
            ).exists()
        ):
            raise TransitionRefused(gettext_lazy("只有上报人申请重办的已办结事项可以重新办理。"))
        return _reopen_round(report, actor=actor, note=note or _("根据上报人申请重新办理。"))
