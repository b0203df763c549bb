"""Reference data of channel intake, created by `manage.py seed_yima`.

Connected when this module is imported; ReportsConfig.ready() imports it next to reports.receivers.
"""

from django.dispatch import receiver

from grids.signals import seed_yima
from reports import actions


@receiver(seed_yima)
def seed_hotline_operator_group(sender, stdout=None, **kwargs):
    group = actions.ensure_hotline_operator_group()
    if stdout is not None:
        stdout.write(f"group: {group.name} (reports.add_report)")
