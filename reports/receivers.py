from django.dispatch import receiver

from grids.signals import seed_yima
from reports.seed import seed_categories
from reports.signals import photos_stored
from reports.tasks import queue_thumbnails


@receiver(seed_yima)
def seed_reports_reference_data(sender, stdout=None, **kwargs):
    created = seed_categories()
    if stdout is not None:
        stdout.write(f"categories: {created} created")


@receiver(photos_stored)
def queue_photo_thumbnails(sender, photo_ids, **kwargs):
    # One message for all of a report's photos: each publish costs the request about a
    # millisecond of CPU and a round trip to the broker.
    queue_thumbnails(list(photo_ids))
