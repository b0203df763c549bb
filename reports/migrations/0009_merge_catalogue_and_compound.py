"""Joins the catalogue's line (0004–0008) and the compounds' (0010, merged with the check step in
0021), made side by side."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0008_merge_catalogue_and_check_step"),
        ("reports", "0021_merge_compound_check_step"),
    ]

    operations = []
