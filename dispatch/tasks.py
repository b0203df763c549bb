"""Celery tasks of the dispatcher: thin, idempotent, loading by id and calling an action.

Messages are doorbells: the database is the source of truth. A message lost while the broker was
down is made up for by the sweep (every minute), a message delivered twice finds its work done.
"""

import datetime as dt
import logging

from celery import shared_task
from celery.signals import worker_process_init
from django.utils import timezone

from dispatch import calendar, idempotency, pipeline
from dispatch.actions import routing as routing_actions
from dispatch.actions import watch
from yima_gov.retry import TRANSIENT_RETRY

logger = logging.getLogger(__name__)

# A report still `submitted` this long after it was saved lost its routing message (broker down
# at commit, worker died before acknowledging, message expired): the sweep queues it again.
SWEEP_AFTER = dt.timedelta(minutes=1)
SWEEP_BATCH = 500


@shared_task(name="dispatch.route_report", **TRANSIENT_RETRY)
def route_report(report_id: int) -> int:
    # The action locks the report and returns early when it is routed or queued already.
    return len(routing_actions.route_report(report_id=report_id))


@shared_task(name="dispatch.watch_deadlines", **TRANSIENT_RETRY)
def watch_deadlines() -> dict:
    # Each reminder is claimed with a conditional update: racing watchers send it once.
    return {**watch.watch_deadlines(), **watch.watch_checks()}


@shared_task(name="dispatch.sweep_submitted", **TRANSIENT_RETRY)
def sweep_submitted() -> int:
    """Queue routing again for reports left in `submitted` (not those waiting for the dispatcher)."""
    cutoff = timezone.now() - SWEEP_AFTER
    ids = list(
        pipeline.unrouted_reports()
        .filter(submitted_at__lt=cutoff)
        .order_by("submitted_at")
        .values_list("id", flat=True)[:SWEEP_BATCH]
    )
    queued = sum(queue_routing(report_id) for report_id in ids)
    if ids:
        logger.info("sweep: %s of %s stale submitted reports queued for routing", queued, len(ids))
    return queued


@shared_task(name="dispatch.heartbeat", bind=True, ignore_result=True)
def heartbeat(self) -> None:
    """Beat sends this every 30 s; only a worker consuming the queue can run it, so the row's age
    is the pipeline's pulse (/readyz/pipeline, the console's banner). No retry: the next beat
    is the retry."""
    pipeline.record_heartbeat(worker=self.request.hostname or "")


@shared_task(name="dispatch.prune_action_receipts", **TRANSIENT_RETRY)
def prune_action_receipts() -> int:
    # A plain delete by age: running it twice or late deletes nothing wrong.
    return idempotency.prune_receipts()


def queue_routing(report_id: int) -> bool:
    """Ring the doorbell for a report's routing. Never fails the caller: with the broker down the
    request that saved the report still succeeds, and the sweep routes it later."""
    try:
        route_report.apply_async((report_id,), retry=False)
    except Exception:  # kombu/redis raise several kinds for an unreachable broker
        logger.warning(
            "could not queue routing of report %s; the sweep will retry", report_id, exc_info=True
        )
        return False
    return True


@worker_process_init.connect
def warm_up_pool_process(**kwargs):
    """Load the translation catalogues and this year's working calendar when a pool process
    starts, so that its first routing is not several hundred milliseconds slower than the rest."""
    from django.db import connection
    from django.utils import translation

    try:
        translation.activate("zh-hans")
        translation.gettext("已派遣")
        calendar.add_working_hours(timezone.now(), 1)
    except Exception:  # a cold start is slower, never broken
        logger.warning("warm-up of a worker process failed", exc_info=True)
    finally:
        translation.deactivate()
        connection.close()
