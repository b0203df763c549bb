"""Celery tasks of the reports app: thin, idempotent, loading by id and calling an action."""

import datetime
import logging

from celery import shared_task

from reports import actions
from yima_gov.retry import TRANSIENT_RETRY

logger = logging.getLogger(__name__)


@shared_task(name="reports.make_photo_thumbnail", **TRANSIENT_RETRY)
def make_photo_thumbnail(photo_id: int) -> bool:
    # The action locks the photo row and returns early when the thumbnail exists: safe to redeliver.
    return actions.make_thumbnail_for_photo(photo_id=photo_id)


@shared_task(name="reports.make_photo_thumbnails", **TRANSIENT_RETRY)
def make_photo_thumbnails(photo_ids: list[int]) -> int:
    # A submission's photos in one message. Each is made under its own row lock and skipped when
    # done, so a redelivery after a lost worker makes only what is missing.
    return sum(actions.make_thumbnail_for_photo(photo_id=photo_id) for photo_id in photo_ids)


@shared_task(name="reports.sweep_orphan_photo_files")
def sweep_orphan_photo_files() -> int:
    # Periodic (see ReportsConfig.ready): safe to run anywhere, any number of times.
    return actions.sweep_orphan_photo_files()


@shared_task(name="reports.sweep_missing_thumbnails")
def sweep_missing_thumbnails() -> int:
    # Periodic: re-rings the doorbell for photos whose thumbnail message was lost.
    ids = actions.photos_missing_thumbnails(older_than=datetime.timedelta(minutes=2))
    return sum(queue_thumbnail(photo_id) for photo_id in ids)


# --- the doorbells: queue the tasks above, never failing the caller --------------------------------


def queue_thumbnails(photo_ids: list[int]) -> bool:
    """Ring the thumbnail doorbell once for several photos. Never fails the caller: the report is
    already committed, and with the broker down the thumbnail sweep makes them later."""
    try:
        make_photo_thumbnails.apply_async((list(photo_ids),), retry=False)
    except Exception:  # kombu/redis raise several kinds for an unreachable broker
        logger.warning(
            "could not queue thumbnails of photos %s; the sweep will", photo_ids, exc_info=True
        )
        return False
    return True


def queue_thumbnail(photo_id: int) -> bool:
    """Ring the thumbnail doorbell. Never fails the caller: the report is already committed, and
    with the broker down the thumbnail sweep makes it later."""
    try:
        make_photo_thumbnail.apply_async((photo_id,), retry=False)
    except Exception:  # kombu/redis raise several kinds for an unreachable broker
        logger.warning(
            "could not queue thumbnail of photo %s; the sweep will", photo_id, exc_info=True
        )
        return False
    return True
