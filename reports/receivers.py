from django.dispatch import receiver

from grids.signals import seed_yima
from reports.seed import seed_categories


@receiver(seed_yima)
def seed_reports_reference_data(sender, stdout=None, **kwargs):
    created = seed_categories()
    if stdout is not None:
        stdout.write(f"categories: {created} created")
