"""Photos attached by dispatch actions: stored with reports' processing, removed again when the
action fails.
"""

import logging
from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from reports.models import Photo, Report

logger = logging.getLogger(__name__)


def store_photos(
    uploads: Iterable, *, report: Report, kind: str, event, now, written: list[str]
) -> list[Photo]:
    """Validate and store photos with reports' processing (clean re-encoded JPEG, no EXIF).

    The names of the files written are appended to `written`, so that FileGuard deletes them
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


class FileGuard:
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
