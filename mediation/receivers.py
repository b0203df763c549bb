from django.dispatch import receiver

from grids.signals import seed_yima


@receiver(seed_yima)
def seed_mediation_reference_data(sender, stdout=None, **kwargs):
    from mediation.seed import seed_organisations

    made = seed_organisations()
    if stdout is not None:
        stdout.write(f"mediation organisations: {made} created")
