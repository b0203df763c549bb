"""Editions of the national catalogue: GB/T 47678.5-2026 is the current one, and every national
category names the edition that last confirmed it (manage.py load_catalogue loads newer ones)."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

EDITION = "GB/T 47678.5-2026"


def attach(apps, schema_editor):
    CatalogueEdition = apps.get_model("reports", "CatalogueEdition")
    Category = apps.get_model("reports", "Category")
    edition = CatalogueEdition.objects.create(name=EDITION, is_current=True)
    Category.objects.filter(catalogue__in=("component", "matter")).update(edition=edition)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0006_category_code_uniqueness"),
    ]

    operations = [
        migrations.CreateModel(
            name="CatalogueEdition",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=60, unique=True, verbose_name="版本")),
                ("loaded_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="载入时间")),
                ("is_current", models.BooleanField(default=False, verbose_name="现行")),
            ],
            options={
                "verbose_name": "目录版本",
                "verbose_name_plural": "目录版本",
                "ordering": ["-loaded_at"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("is_current", True)),
                        fields=("is_current",),
                        name="one_current_edition",
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="category",
            name="edition",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="categories",
                to="reports.catalogueedition",
                verbose_name="目录版本",
            ),
        ),
        migrations.RunPython(attach, migrations.RunPython.noop),
    ]
