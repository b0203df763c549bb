"""A grid worker's patrol report handled on the spot (现场处置)."""

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from dispatch import membership
from dispatch.actions.guards import GRID_WORKER, clean_text
from dispatch.actions.locking import lock_report
from dispatch.actions.photos import FileGuard, store_photos
from dispatch.errors import NotPermitted, SubmissionError
from dispatch.events import Kind, label, record
from dispatch.models import (
    Level,
)
from grids.models import GridMembership
from reports.models import Channel, Photo, Report, Status


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
    note = clean_text(note, field="note", required=False, message="")
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
    with FileGuard() as written:
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
            report = lock_report(report)
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
                kind=Kind.HANDLED_ON_SPOT,
                actor=actor,
                actor_label=label(GRID_WORKER),
                from_status=Status.SUBMITTED,
                to_status=Status.CLOSED,
                note=note or _("网格员巡查发现并现场处置，已办结。"),
            )
            store_photos(
                [after_photo],
                report=report,
                kind=Photo.Kind.AFTER,
                event=event,
                now=now,
                written=written,
            )
    return report
