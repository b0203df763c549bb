"""Is the routing pipeline moving? Read by /readyz/pipeline and the dispatcher's console.

Processes can be up while nothing moves (a worker that died on a broker outage, beat queueing into
a broker no worker reads). Two facts tell: the heartbeat that only a consuming worker writes, and
the age of the oldest report still waiting to be routed.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dispatch.models import LIVE_TASK_STATUSES, DispatchQueueEntry, PipelineHeartbeat, Task
from reports.models import Report, Status

HEARTBEAT = "pipeline"


def unrouted_reports() -> QuerySet[Report]:
    """Reports saved but not routed: still `submitted`, not waiting in the dispatcher's queue and
    with no live task. The sweep re-rings their doorbell; their age measures a stall."""
    return Report.objects.filter(status=Status.SUBMITTED).filter(
        ~Exists(DispatchQueueEntry.objects.filter(report=OuterRef("pk"), resolved_at=None)),
        ~Exists(Task.objects.filter(report=OuterRef("pk"), status__in=LIVE_TASK_STATUSES)),
    )


def record_heartbeat(*, worker: str, now: dt.datetime | None = None) -> None:
    PipelineHeartbeat.objects.update_or_create(
        name=HEARTBEAT, defaults={"beat_at": now or timezone.now(), "worker": worker[:200]}
    )


@dataclass
class PipelineHealth:
    heartbeat_at: dt.datetime | None
    oldest_unrouted_at: dt.datetime | None
    unrouted: int
    problems: list[str] = field(default_factory=list)

    @property
    def stalled(self) -> bool:
        return bool(self.problems)

    def as_json(self) -> dict:
        return {
            "status": "stalled" if self.stalled else "ok",
            "heartbeat_at": self.heartbeat_at.isoformat() if self.heartbeat_at else None,
            "oldest_unrouted_at": (
                self.oldest_unrouted_at.isoformat() if self.oldest_unrouted_at else None
            ),
            "unrouted": self.unrouted,
            "problems": self.problems,
        }


def pipeline_health(now: dt.datetime | None = None) -> PipelineHealth:
    """Stalled when no worker has beaten for PIPELINE_HEARTBEAT_MAX_AGE seconds, or a report has
    waited to be routed for PIPELINE_UNROUTED_MAX_AGE seconds."""
    now = now or timezone.now()
    beat = PipelineHeartbeat.objects.filter(name=HEARTBEAT).values_list("beat_at", flat=True)
    heartbeat_at = beat.first()
    waiting = unrouted_reports()
    oldest = waiting.order_by("submitted_at").values_list("submitted_at", flat=True).first()
    health = PipelineHealth(
        heartbeat_at=heartbeat_at,
        oldest_unrouted_at=oldest,
        unrouted=waiting.count() if oldest else 0,
    )
    beat_limit = dt.timedelta(seconds=settings.PIPELINE_HEARTBEAT_MAX_AGE)
    if heartbeat_at is None:
        health.problems.append(_("尚无工作进程心跳"))
    elif now - heartbeat_at > beat_limit:
        minutes = int((now - heartbeat_at).total_seconds() // 60)
        health.problems.append(_("工作进程已 %(minutes)s 分钟无心跳") % {"minutes": minutes})
    if oldest is not None and now - oldest > dt.timedelta(
        seconds=settings.PIPELINE_UNROUTED_MAX_AGE
    ):
        minutes = int((now - oldest).total_seconds() // 60)
        health.problems.append(
            _("%(count)s 件上报待派遣，最早的已等待 %(minutes)s 分钟")
            % {"count": health.unrouted, "minutes": minutes}
        )
    return health
