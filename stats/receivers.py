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
    from gridwork.seed import seed_minqing_history
    from stats.history import generate_history, has_history

    if not has_history():  # idempotent: generated once
        made = generate_history(reports=history, seed=411281, progress=False, profile="yima")
        if stdout is not None:
            stdout.write(f"demo history: {made} tickets")
    # After the tickets: the 民情 history's ticketed items are the history's patrol tickets.
    items = seed_minqing_history()
    if stdout is not None and items:
        stdout.write(f"民情 history: {items} items")
