"""Demo history on `manage.py seed_yima` (demo mode): a few thousand tickets, once."""

from django.dispatch import receiver

from grids.signals import seed_yima

DEMO_REPORTS = 3000


@receiver(seed_yima)
def seed_demo_history(
    sender, demo: bool = False, history: int = DEMO_REPORTS, stdout=None, **kwargs
):
    if not demo or history <= 0:
        return
    from stats.history import generate_history, has_history

    if has_history():
        return  # idempotent: generated once
    made = generate_history(reports=history, seed=411281, progress=False, profile="yima")
    if stdout is not None:
        stdout.write(f"demo history: {made} tickets")
