"""The three mediation organisations the city starts with (the list stays editable in admin)."""

from django.db import migrations

DEFAULTS = [
    ("社区居委会调解委员会", "committee"),
    ("“五老”调解工作室", "five_elders"),
    ("义马市人民调解委员会", "peoples"),
]


def add_defaults(apps, schema_editor):
    Organisation = apps.get_model("mediation", "Organisation")
    for name, kind in DEFAULTS:
        Organisation.objects.get_or_create(name=name, defaults={"kind": kind})


class Migration(migrations.Migration):
    dependencies = [("mediation", "0001_deliberation_and_mediation")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
