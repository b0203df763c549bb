"""The mediation organisations the city starts with. Idempotent: run by the data migration's
twin below (seed_yima) and by tests whose database was flushed; administrators edit the list in
the admin afterwards."""

from mediation.models import Organisation

DEFAULT_ORGANISATIONS = [
    ("社区居委会调解委员会", Organisation.Kind.COMMITTEE),
    ("“五老”调解工作室", Organisation.Kind.FIVE_ELDERS),
    ("义马市人民调解委员会", Organisation.Kind.PEOPLES),
]


def seed_organisations() -> int:
    """Create the default organisations that are missing; returns how many were created."""
    made = 0
    for name, kind in DEFAULT_ORGANISATIONS:
        made += Organisation.objects.get_or_create(name=name, defaults={"kind": kind})[1]
    return made
