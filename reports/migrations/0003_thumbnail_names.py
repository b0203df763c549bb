"""Thumbnails move to one deterministic name per photo.

Before this, a full path was handed to a field that already had `upload_to`, which doubled it
(`thumbs/2026/12/03/thumbs/2026/12/03/<hash>_<random>.jpg`): names passed 100 characters, got random
suffixes, and a rerun after a crash wrote a second file. Each existing thumbnail is copied to the
name `reports.photos.thumbnail_name` gives (the formula is repeated here, frozen as of this
migration) and the old file removed; a thumbnail whose file is missing is cleared, and the
thumbnail sweep makes it again.
"""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import migrations


def _name(photo) -> str:
    return f"thumbs/{photo.created_at:%Y/%m/%d}/{photo.id}-{photo.sha256[:16]}.jpg"


def move_thumbnails(apps, schema_editor):
    Photo = apps.get_model("reports", "Photo")
    for photo in Photo.objects.exclude(thumbnail="").only(
        "id", "created_at", "sha256", "thumbnail"
    ):
        old, new = photo.thumbnail.name, _name(photo)
        if old == new:
            continue
        if default_storage.exists(old):
            with default_storage.open(old, "rb") as f:
                content = f.read()
            default_storage.delete(new)
            saved = default_storage.save(new, ContentFile(content))
            Photo.objects.filter(id=photo.id).update(thumbnail=saved)
            default_storage.delete(old)
        else:
            Photo.objects.filter(id=photo.id).update(thumbnail="")


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_api_keys")]

    operations = [migrations.RunPython(move_thumbnails, migrations.RunPython.noop, elidable=True)]
