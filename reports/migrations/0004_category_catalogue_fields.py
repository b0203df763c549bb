"""Categories learn which catalogue they belong to (GB/T 47678.5's components or matters, or ours).

Existing rows are marked `legacy` until 0005 moves them onto the standard's codes; the code stops
being unique on its own because the standard's codes are unique within a catalogue only (0006)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_thumbnail_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="category",
            name="catalogue",
            field=models.CharField(default="legacy", max_length=10, verbose_name="目录"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="category",
            name="synonyms",
            field=models.CharField(blank=True, max_length=300, verbose_name="常用说法"),
        ),
        migrations.AlterField(
            model_name="category",
            name="code",
            field=models.CharField(max_length=5, verbose_name="代码"),
        ),
    ]
