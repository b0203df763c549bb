"""Signal receivers: route what reports submits, seed units and rules, forget calendar tables."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from dispatch import calendar
from dispatch.models import CalendarDay
from grids.signals import seed_yima
from reports.signals import report_submitted


@receiver(report_submitted)
def route_submitted_report(sender, report_id: int, **kwargs):
    from dispatch.tasks import queue_routing

    queue_routing(report_id)


@receiver(seed_yima)
def seed_dispatch_reference_data(sender, demo: bool = False, stdout=None, **kwargs):
    from dispatch import seed

    made = seed.seed_units()
    rules = seed.seed_rules()
    if stdout is not None:
        stdout.write(f"units: {made} created; routing rules: {rules} created")
    if demo:
        logins = seed.ensure_demo_unit_staff()
        if stdout is not None and logins:
            stdout.write("demo unit staff logins:")
            for phone, name in logins:
                stdout.write(f"  {phone}  {name}")
        from dispatch.demo import seed_live_demo_tickets

        live = seed_live_demo_tickets()
        if stdout is not None:
            stdout.write(f"live demo tickets: {live} filed and routed")


@receiver(post_save, sender=CalendarDay)
@receiver(post_delete, sender=CalendarDay)
def forget_calendar_tables(sender, **kwargs):
    calendar.invalidate()
