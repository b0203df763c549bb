"""submit_report, the one action every intake channel calls."""

import threading
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from reports import actions
from reports.errors import SubmissionError
from reports.models import Event, Photo, Report, Status, TicketSequence
from reports.signals import report_submitted
from tests.reports.conftest import OUTSIDE_YIMA, files_under, gps_exif, jpeg_bytes


def submit(category, point, **kwargs):
    kwargs.setdefault("photos", [jpeg_bytes()])
    return actions.submit_report(category=category, lon=point[0], lat=point[1], **kwargs)


def test_submission_saves_report_photo_and_first_event_and_places_it_in_its_grid(
    streetlight, point_a, grid_a, resident, django_capture_on_commit_callbacks
):
    received = []

    def listener(sender, report_id, **kwargs):
        received.append(report_id)

    report_submitted.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            report = submit(streetlight, point_a, reporter=resident, description="路灯不亮")
    finally:
        report_submitted.disconnect(listener)
    assert report.status == Status.SUBMITTED
    assert report.grid == grid_a
    assert report.community_id == grid_a.community_id
    assert report.number.startswith("YM") and len(report.number) == 14
    assert report.photos.count() == 1
    event = Event.objects.filter(report=report).order_by("id").first()  # dispatch may add more
    assert (event.kind, event.to_status, event.public) == ("submitted", "submitted", True)
    assert received == [report.id]
    photo = report.photos.get()
    photo.refresh_from_db()
    assert photo.thumbnail  # made by the task queued on commit


def test_ticket_numbers_follow_the_day_sequence(streetlight, point_a):
    first = submit(streetlight, point_a)
    second = submit(streetlight, point_a, photos=[jpeg_bytes(color=(1, 2, 3))])
    assert int(second.number[-4:]) == int(first.number[-4:]) + 1
    assert first.number[:10] == second.number[:10]


def test_a_failed_submission_gives_its_ticket_number_back(streetlight, point_a, monkeypatch):
    first = submit(streetlight, point_a)

    def broken_event(**kwargs):  # fails after the number was taken, inside the transaction
        raise RuntimeError("database went away")

    with monkeypatch.context() as patched:
        patched.setattr(actions.events, "submitted_event", broken_event)
        with pytest.raises(RuntimeError):
            submit(streetlight, point_a, photos=[jpeg_bytes(color=(1, 2, 3))])
    second = submit(streetlight, point_a, photos=[jpeg_bytes(color=(4, 5, 6))])
    assert int(second.number[-4:]) == int(first.number[-4:]) + 1


def test_the_ticket_number_is_taken_in_one_statement(streetlight, point_a):
    submit(streetlight, point_a)  # the day's row exists now: the common case
    with CaptureQueriesContext(connection) as queries:
        report = submit(streetlight, point_a, photos=[jpeg_bytes(color=(1, 2, 3))])
    statements = [q["sql"] for q in queries if "reports_ticketsequence" in q["sql"]]
    assert len(statements) == 1
    assert TicketSequence.objects.get().last == int(report.number[-4:]) == 2


def test_stored_photo_has_no_exif_and_location_comes_from_its_gps(streetlight, point_a, media_root):
    photo = jpeg_bytes(exif=gps_exif(*point_a))
    report = actions.submit_report(category=streetlight, lon=None, lat=None, photos=[photo])
    assert report.lon == pytest.approx(point_a[0], abs=1e-5)
    assert report.lat == pytest.approx(point_a[1], abs=1e-5)
    stored = Image.open(media_root / report.photos.get().image.name)
    assert not stored.getexif()
    assert "exif" not in stored.info
    assert b"PhoneMaker" not in (media_root / report.photos.get().image.name).read_bytes()


def test_exif_orientation_is_applied_to_the_stored_copy(streetlight, point_a, media_root):
    photo = jpeg_bytes(size=(400, 200), exif=gps_exif(*point_a, orientation=6))
    report = submit(streetlight, point_a, photos=[photo])
    stored = report.photos.get()
    assert (stored.width, stored.height) == (200, 400)


def test_identical_photos_in_one_report_are_stored_once(streetlight, point_a, media_root):
    photo = jpeg_bytes()
    report = submit(streetlight, point_a, photos=[photo, photo, photo])
    assert report.photos.count() == 1
    assert len([f for f in files_under(media_root) if f.startswith("reports/")]) == 1


def test_hotline_reports_may_come_without_photos(streetlight, point_a):
    report = submit(streetlight, point_a, photos=[], require_photo=False, channel="hotline")
    assert report.photos.count() == 0


def test_point_outside_yima_is_refused_and_leaves_nothing(streetlight, media_root):
    with pytest.raises(SubmissionError) as info:
        submit(streetlight, OUTSIDE_YIMA)
    assert info.value.field == "location"
    assert Report.objects.count() == Photo.objects.count() == Event.objects.count() == 0
    assert files_under(media_root) == []


def test_failure_inside_the_transaction_removes_written_files(
    streetlight, point_a, media_root, monkeypatch
):
    def broken_event(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(actions.events, "submitted_event", broken_event)
    with pytest.raises(RuntimeError):
        submit(streetlight, point_a)
    assert Report.objects.count() == Photo.objects.count() == 0
    assert files_under(media_root) == []


def test_repeated_idempotency_key_returns_the_first_ticket(streetlight, point_a):
    key = str(uuid.uuid4())
    first = submit(streetlight, point_a, idempotency_key=key)
    again = submit(streetlight, point_a, idempotency_key=key)
    assert again.id == first.id and again.replayed and not first.replayed
    assert Report.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_ticket_numbers_are_unique_when_many_submit_at_once(streetlight, point_a):
    assert connection.vendor == "postgresql"
    numbers, errors = [], []

    def worker(i):
        try:
            report = submit(streetlight, point_a, photos=[jpeg_bytes(color=(i, 0, 0))])
            numbers.append(report.number)
        except Exception as exc:  # collected: a failure in a thread must fail the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(numbers) == len(set(numbers)) == 12
    assert TicketSequence.objects.get().last == 12
    sequences = sorted(int(n[-4:]) for n in numbers)
    assert sequences == list(range(1, 13))


def test_sweep_removes_old_files_no_photo_points_to_and_keeps_the_rest(
    streetlight, point_a, media_root
):
    import datetime
    import os

    report = submit(streetlight, point_a)
    kept = media_root / report.photos.get().image.name
    orphan = kept.parent / "orphan.jpg"
    fresh = kept.parent / "in-flight.jpg"
    orphan.write_bytes(b"x")
    fresh.write_bytes(b"x")
    old = (datetime.datetime.now() - datetime.timedelta(hours=2)).timestamp()
    os.utime(orphan, (old, old))
    os.utime(kept, (old, old))
    assert actions.sweep_orphan_photo_files() == 1
    assert kept.exists() and fresh.exists() and not orphan.exists()


def test_submission_rolled_back_by_an_outer_transaction_leaves_files_for_the_sweep_only(
    streetlight, point_a, media_root
):
    import datetime

    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        submit(streetlight, point_a)
        raise RuntimeError("the caller's transaction failed")
    assert Report.objects.count() == 0
    assert actions.sweep_orphan_photo_files(older_than=datetime.timedelta(0)) == 1
    assert [f for f in files_under(media_root) if f.startswith("reports/")] == []


def test_idempotency_key_of_a_logged_in_resident_does_not_replay_for_someone_else(
    streetlight, point_a, resident, other_resident
):
    key = str(uuid.uuid4())
    submit(streetlight, point_a, idempotency_key=key, reporter=resident)
    with pytest.raises(SubmissionError) as info:
        submit(streetlight, point_a, idempotency_key=key, reporter=other_resident)
    assert info.value.field == "idempotency_key"
    with pytest.raises(SubmissionError):
        submit(streetlight, point_a, idempotency_key=key)
    assert submit(streetlight, point_a, idempotency_key=key, reporter=resident).replayed


def test_one_thumbnail_doorbell_makes_the_thumbnails_of_all_of_a_reports_photos(
    streetlight, point_a, monkeypatch, django_capture_on_commit_callbacks
):
    from reports.tasks import make_photo_thumbnail, make_photo_thumbnails

    rung = []
    monkeypatch.setattr(
        make_photo_thumbnails,
        "apply_async",
        lambda args, **kw: rung.append(args) or make_photo_thumbnails.run(*args),
    )
    monkeypatch.setattr(make_photo_thumbnail, "apply_async", lambda args, **kw: rung.append(args))
    photos = [jpeg_bytes(color=(i, 9, 9)) for i in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        report = submit(streetlight, point_a, photos=photos)
    assert rung == [(sorted(report.photos.values_list("id", flat=True)),)]
    assert all(photo.thumbnail for photo in report.photos.all())
