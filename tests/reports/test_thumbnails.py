"""Thumbnails: one deterministic file per photo, never a doubled path; a rerun overwrites its own
file; the task retries what may pass (the database blinking) with the dispatcher's bounded policy;
the data migration moves thumbnails stored under the old doubled names."""

import importlib

import pytest
from celery.exceptions import Retry
from django.apps import apps as django_apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import OperationalError

from reports import actions
from reports.models import Photo
from reports.tasks import make_photo_thumbnail
from tests.reports.conftest import files_under
from tests.reports.helpers import form_data


@pytest.fixture
def photo(client, streetlight, point_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/reports/", form_data(streetlight, point_a))
    assert response.status_code == 201, response.content
    return Photo.objects.get()


def thumbs(media_root) -> list[str]:
    return [name for name in files_under(media_root) if name.startswith("thumbs/")]


def test_a_thumbnail_has_one_short_deterministic_name(photo, media_root):
    expected = f"thumbs/{photo.created_at:%Y/%m/%d}/{photo.id}-{photo.sha256[:16]}.jpg"
    assert photo.thumbnail.name == expected
    assert thumbs(media_root) == [expected]
    assert photo.thumbnail.name.count("thumbs/") == 1
    assert len(photo.thumbnail.name) < 100


def test_a_rerun_after_a_crash_overwrites_its_own_file(photo, media_root):
    # Given a crash after the file was written but before the row was committed…
    name = photo.thumbnail.name
    Photo.objects.filter(id=photo.id).update(thumbnail="")
    # …when the doorbell rings again, the same file is rewritten, not a second one added.
    assert actions.make_thumbnail_for_photo(photo_id=photo.id) is True
    photo.refresh_from_db()
    assert photo.thumbnail.name == name
    assert thumbs(media_root) == [name]


def test_a_delivered_twice_doorbell_finds_the_work_done(photo, media_root):
    assert actions.make_thumbnail_for_photo(photo_id=photo.id) is False
    assert len(thumbs(media_root)) == 1


def test_the_thumbnail_task_retries_when_the_database_blinks(photo, monkeypatch):
    Photo.objects.filter(id=photo.id).update(thumbnail="")

    def blink(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(actions, "make_thumbnail_for_photo", blink)
    with pytest.raises(Retry):
        # throw=True (what a worker does) raises Retry: the task is scheduled again, not failed.
        make_photo_thumbnail.apply(args=(photo.id,), throw=True)
    assert make_photo_thumbnail.max_retries == 5


def test_the_thumbnail_task_does_not_retry_a_bug(photo, monkeypatch):
    def bug(**kwargs):
        raise ValueError("not a JPEG")

    monkeypatch.setattr(actions, "make_thumbnail_for_photo", bug)
    with pytest.raises(ValueError):
        make_photo_thumbnail.apply(args=(photo.id,), throw=True)


def test_the_migration_moves_doubled_thumbnail_paths_to_their_names(photo, media_root):
    migration = importlib.import_module("reports.migrations.0003_thumbnail_names")
    good = photo.thumbnail.name
    # Given a thumbnail stored the old way (the field's upload_to doubled in front of the name)…
    with default_storage.open(good, "rb") as f:
        content = f.read()
    default_storage.delete(good)
    day = f"{photo.created_at:%Y/%m/%d}"
    old = default_storage.save(
        f"thumbs/{day}/thumbs/{day}/{photo.sha256[:40]}_Ab3dE9f.jpg", ContentFile(content)
    )
    Photo.objects.filter(id=photo.id).update(thumbnail=old)
    # …and another photo whose thumbnail file has gone missing:
    missing = Photo.objects.create(
        report=photo.report, image=photo.image.name, sha256="f" * 64, thumbnail="thumbs/gone.jpg"
    )

    migration.move_thumbnails(django_apps, None)

    photo.refresh_from_db()
    missing.refresh_from_db()
    assert photo.thumbnail.name == good
    assert thumbs(media_root) == [good]
    with default_storage.open(good, "rb") as f:
        assert f.read() == content
    assert missing.thumbnail.name == ""  # the thumbnail sweep makes it again
    migration.move_thumbnails(django_apps, None)  # and running it twice changes nothing
    assert thumbs(media_root) == [good]
