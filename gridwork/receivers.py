from django.dispatch import receiver

from grids.signals import seed_yima


@receiver(seed_yima)
def seed_demo_volunteers(sender, demo: bool = False, stdout=None, **kwargs):
    """Demo mode: about 300 流动网格员 and party-member volunteers across the grids, once."""
    if not demo:
        return
    from gridwork.seed import (
        DEMO_VOLUNTEER,
        seed_party_organisations,
        seed_patrol_plans,
        seed_volunteers,
    )

    organisations = seed_party_organisations()
    made = seed_volunteers()
    plans = seed_patrol_plans()
    if stdout is not None:
        stdout.write(f"party organisations: {organisations} created")
        stdout.write(f"volunteers: {made} created; weekly patrol plans: {plans} created")
        stdout.write(f"demo volunteer login: {DEMO_VOLUNTEER[0]}  {DEMO_VOLUNTEER[1]}")
