"""A code is unique within its catalogue (component 01001 供水井盖 ≠ matter 01001 供水井盖异常)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0005_categories_onto_gbt47678_5"),
    ]

    operations = [
        migrations.AlterField(
            model_name="category",
            name="catalogue",
            field=models.CharField(
                choices=[("component", "管理部件"), ("matter", "管理事项"), ("local", "本地扩展")],
                default="matter",
                max_length=10,
                verbose_name="目录",
            ),
        ),
        migrations.AlterModelOptions(
            name="category",
            options={
                "ordering": ["catalogue", "code"],
                "verbose_name": "问题类别",
                "verbose_name_plural": "问题类别",
            },
        ),
        migrations.AddConstraint(
            model_name="category",
            constraint=models.UniqueConstraint(
                fields=("catalogue", "code"), name="category_code_per_catalogue"
            ),
        ),
    ]
