"""Joins the catalogue's migrations (0004–0007) and the check step's (0020), made side by side."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0007_catalogue_edition"),
        ("reports", "0020_check_step"),
    ]

    operations = []
