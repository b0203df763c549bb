"""Writes the worklist pages need that dispatch.actions does not have: a supervision remark
(督办意见), a grid worker's patrol report handled on the spot, and reopening on a reporter's
request. Same rules as dispatch.actions: one transaction, the ticket locked, one timeline event,
notifications inside the transaction (their e-mail/SMS copies leave after commit).
"""

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import actions as account_actions
from accounts.models import User
from dispatch import actions, membership
from dispatch.actions import DISPATCHER, GRID_WORKER, _clean, _FileGuard, _lock, _rework
from dispatch.errors import NotPermitted, SubmissionError, TransitionRefused
from dispatch.events import Kind, label, record
from dispatch.models import LIVE_TASK_STATUSES, DispatchQueueEntry, Level, Unit
from grids.models import GridMembership
from reports.models import Channel, Event, Photo, Report, Status

SUPERVISION_REMARK = "supervision_remark"
HANDLED_ON_SPOT = "handled_on_spot"
OFFICIAL = "领导"


def _ticket_url(report: Report) -> str:
    from django.urls import reverse

    return reverse("dispatch:ticket", args=[report.number])


def add_supervision_remark(*, report: Report, actor: User, note: str) -> Event:
    """督办意见: a dispatcher or an official tells the ticket's holders what they expect. The
    units with a live task and the grid's workers are notified; the event is internal."""
    if not (
        actor.is_authenticated and actor.is_active and (actor.is_dispatcher or actor.is_official)
    ):
        raise NotPermitted(gettext_lazy("只有指挥中心或领导可以提出督办意见。"))
    note = _clean(note, field="note", required=True, message=gettext_lazy("请填写督办意见。"))
    with transaction.atomic():
        report = _lock(report)
        if report.status in (Status.REJECTED, Status.DUPLICATE):
            raise TransitionRefused(gettext_lazy("该事项已结束，不能督办。"))
        tasks = list(report.tasks.filter(status__in=LIVE_TASK_STATUSES).select_related("unit"))
        event = record(
            report=report,
            kind=SUPERVISION_REMARK,
            actor=actor,
            actor_label=label(DISPATCHER) if actor.is_dispatcher else label(OFFICIAL),
            note=note,
            public=False,
            data={"units": [t.unit.code for t in tasks]},
        )
        recipients: dict[int, User] = {}
        for task in tasks:
            for person in membership.members(task.unit):
                recipients[person.id] = person
        grid_team = Unit.objects.filter(grid_id=report.grid_id).first()
        if grid_team is not None:
            for person in membership.members(grid_team):
                recipients[person.id] = person
        recipients.pop(actor.id, None)
        title = _("督办意见：%(number)s") % {"number": report.number}
        url = _ticket_url(report)
        for person in recipients.values():
            account_actions.notify(
                recipient=person, kind=SUPERVISION_REMARK, title=title, body=note, url=url
            )
    return event


def file_patrol_report(
    *,
    actor: User,
    category,
    lon,
    lat,
    description: str = "",
    address: str = "",
    photos: Sequence = (),
    handled_on_spot: bool = False,
    after_photo=None,
    note: str = "",
) -> Report:
    """A grid worker files what they found on patrol (channel "patrol"). When they fixed it on
    the spot, the same transaction closes it with the after-photo: submitted → closed, settled at
    grid level, and routing (which runs after commit) leaves a closed ticket alone."""
    from reports.actions import submit_report

    if not (
        actor.is_authenticated
        and actor.is_active
        and GridMembership.objects.filter(user=actor).exists()
    ):
        raise NotPermitted(gettext_lazy("只有网格员可以提交巡查上报。"))
    note = _clean(note, field="note", required=False, message="")
    if handled_on_spot and not after_photo:
        raise SubmissionError(
            gettext_lazy("现场处置办结时请上传处置后照片。"), field="after_photo", code="no_photo"
        )
    if not handled_on_spot:
        return submit_report(
            category=category,
            lon=lon,
            lat=lat,
            address=address,
            description=description,
            photos=photos,
            reporter=actor,
            channel=Channel.PATROL,
        )
    with _FileGuard() as written:
        with transaction.atomic():
            report = submit_report(
                category=category,
                lon=lon,
                lat=lat,
                address=address,
                description=description,
                photos=photos,
                reporter=actor,
                channel=Channel.PATROL,
            )
            # submit_report stored the before-photos: they must go too if closing fails.
            written.extend(p.image.name for p in report.photos.all())
            report = _lock(report)
            if not membership.serves_grid(actor, report.grid_id):
                raise NotPermitted(
                    gettext_lazy("该位置不在您服务的网格内，不能现场办结，请只上报。")
                )
            if report.category.kind == report.category.Kind.DISPUTE:
                raise SubmissionError(
                    gettext_lazy("矛盾纠纷不能现场直接办结，请上报后按流程办理。"),
                    field="handled_on_spot",
                    code="dispute",
                )
            now = timezone.now()
            report.status = Status.CLOSED
            report.dispatched_at = report.accepted_at = now
            report.handled_at = report.closed_at = now
            report.handled_level = Level.GRID
            report.save(
                update_fields=[
                    "status",
                    "dispatched_at",
                    "accepted_at",
                    "handled_at",
                    "closed_at",
                    "handled_level",
                    "updated_at",
                ]
            )
            event = record(
                report=report,
                kind=HANDLED_ON_SPOT,
                actor=actor,
                actor_label=label(GRID_WORKER),
                from_status=Status.SUBMITTED,
                to_status=Status.CLOSED,
                note=note or _("网格员巡查发现并现场处置，已办结。"),
            )
            actions._store_photos(
                [after_photo],
                report=report,
                kind=Photo.Kind.AFTER,
                event=event,
                now=now,
                written=written,
            )
    return report


def reopen_on_request(*, report: Report, actor: User, note: str = "") -> Report:
    """The dispatcher grants a reporter's request to reopen a closed ticket (返工, counted).
    A 不满意 rating goes through dispatch.actions.reopen_after_unsatisfied instead."""
    actions._require_dispatcher(actor)
    note = _clean(note, field="note", required=False, message="")
    with transaction.atomic():
        report = _lock(report)
        if (
            report.status != Status.CLOSED
            or not report.events.filter(
                kind="reopen_requested", created_at__gte=report.closed_at
            ).exists()
        ):
            raise TransitionRefused(gettext_lazy("只有上报人申请重办的已办结事项可以重新办理。"))
        actions.refuse_beyond_reopen_limit(report)
        tasks = _rework(report, now=timezone.now())
        if not tasks:
            actions._enqueue(report, reason=DispatchQueueEntry.Reason.UNSATISFIED, note=note)
        record(
            report=report,
            kind=Kind.REOPENED,
            actor=actor,
            actor_label=label(DISPATCHER),
            from_status=Status.CLOSED,
            to_status=report.status,
            note=note or _("根据上报人申请重新办理。"),
            data={"tasks": tasks, "reopened_count": report.reopened_count},
        )
        actions._tell_reporter(report, _("您反映的问题已重新交办"), report.number)
    return report
