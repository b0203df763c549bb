"""Celery tasks of the reports app: thin, idempotent, loading by id and calling an action."""

import datetime

from celery import shared_task

from reports import actions
from yima_gov.retry import TRANSIENT_RETRY


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
    return sum(actions.queue_thumbnail(photo_id) for photo_id in ids)
