"""A report accepted while the broker is unreachable is saved, and nothing is lost: the doorbells
(routing, thumbnails) are rung again by the sweeps once the broker answers."""

import datetime

import pytest
from kombu.exceptions import OperationalError

from reports import actions
from reports.models import Photo, Report
from reports.tasks import make_photo_thumbnail, sweep_missing_thumbnails
from tests.reports.helpers import form_data


@pytest.fixture
def broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr("celery.app.task.Task.apply_async", refuse)


def test_report_submitted_while_the_broker_is_down_is_saved(
    client, streetlight, point_a, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/reports/", form_data(streetlight, point_a))
    assert response.status_code == 201, response.content
    report = Report.objects.get(number=response.json()["number"])
    assert Photo.objects.filter(report=report, thumbnail="").count() == 1


def test_thumbnail_sweep_makes_the_thumbnails_whose_doorbell_was_lost(
    client, streetlight, point_a, broker_down, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/api/v1/reports/", form_data(streetlight, point_a))
    photo = Photo.objects.get()
    assert actions.photos_missing_thumbnails(older_than=datetime.timedelta(0)) == [photo.id]

    # The broker is back; the sweep re-rings the doorbell (run here in-process).
    monkeypatch.undo()
    # Given: the lost doorbell was rung five minutes ago, past the sweep's grace period.
    Photo.objects.filter(id=photo.id).update(
        created_at=photo.created_at - datetime.timedelta(minutes=5)
    )
    monkeypatch.setattr(
        make_photo_thumbnail, "apply_async", lambda args, **kw: make_photo_thumbnail.run(*args)
    )
    assert sweep_missing_thumbnails() == 1
    photo.refresh_from_db()
    assert photo.thumbnail
    assert actions.photos_missing_thumbnails(older_than=datetime.timedelta(0)) == []
