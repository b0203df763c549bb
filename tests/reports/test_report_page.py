"""The report page as a plain HTML form (no JavaScript): what a resident on an old phone gets."""

import re

import pytest
from django.urls import reverse

from reports.models import Event, Photo, Report, Supporter
from tests.reports.conftest import OUTSIDE_YIMA, jpeg_bytes
from tests.reports.helpers import form_data, nothing_saved, upload

URL = "/report/"


def test_report_page_offers_photos_location_categories_and_an_idempotency_key(client, categories):
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'accept="image/*"' in html and "capture=" in html and "multiple" in html
    assert 'enctype="multipart/form-data"' in html
    assert "<optgroup" in html and "路灯异常" in html
    assert 'name="idempotency_key"' in html
    assert 'name="hide_identity"' in html


def test_resident_files_a_report_and_lands_on_the_private_tracking_page(
    client, streetlight, point_a
):
    response = client.post(URL, form_data(streetlight, point_a, contact_phone="13912345678"))
    assert response.status_code == 302
    report = Report.objects.get()
    assert response["Location"] == f"/t/{report.tracking_token}/?new=1"
    page = client.get(response["Location"])
    assert report.number in page.content.decode()
    assert report.contact_phone == "13912345678"
    assert report.photos.count() == 1


def test_logged_in_resident_becomes_the_reporter_and_sees_it_under_my_reports(
    login, resident, streetlight, point_a
):
    client = login(resident)
    client.post(URL, form_data(streetlight, point_a))
    report = Report.objects.get()
    assert report.reporter == resident
    assert report.number in client.get("/my/").content.decode()


def test_my_reports_needs_a_login(client, db):
    response = client.get("/my/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_other_residents_reports_are_not_in_my_reports(
    login, resident, other_resident, streetlight, point_a
):
    login(resident).post(URL, form_data(streetlight, point_a))
    number = Report.objects.get().number
    assert number not in login(other_resident).get("/my/").content.decode()


def test_resubmitting_the_same_form_returns_the_first_ticket(client, streetlight, point_a):
    page = client.get(URL).content.decode()
    key = re.search(r'name="idempotency_key" value="([0-9a-f-]{36})"', page).group(1)
    first = client.post(URL, form_data(streetlight, point_a, idempotency_key=key))
    again = client.post(URL, form_data(streetlight, point_a, idempotency_key=key))
    assert first["Location"] == again["Location"]
    assert Report.objects.count() == 1


def test_html_in_the_description_is_stored_as_text_and_shown_escaped(client, streetlight, point_a):
    script = "<script>alert('x')</script><b>路灯</b>"
    response = client.post(URL, form_data(streetlight, point_a, description=script))
    assert Report.objects.get().description == script
    html = client.get(response["Location"]).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


BAD_INPUTS = {
    "non-image named .jpg": ({"photos": [upload(b"this is not an image at all")]}, "photos"),
    "truncated jpeg": ({"photos": [upload(jpeg_bytes(size=(800, 600))[:3000])]}, "photos"),
    "no photo": ({"photos": []}, "photos"),
    "ten photos": (
        {"photos": [upload(jpeg_bytes(color=(i, 1, 1)), f"p{i}.jpg") for i in range(10)]},
        "photos",
    ),
    "unknown category": ({"category": "99999"}, "category"),
    "5000-char description": ({"description": "长" * 5000}, "description"),
    "point outside Yima": ({"lon": str(OUTSIDE_YIMA[0]), "lat": str(OUTSIDE_YIMA[1])}, "location"),
    "no location": ({"lon": "", "lat": ""}, "location"),
    "malformed idempotency key": ({"idempotency_key": "not-a-uuid"}, "idempotency_key"),
}


@pytest.mark.parametrize("case", BAD_INPUTS, ids=list(BAD_INPUTS))
def test_bad_input_on_the_form_gets_a_chinese_message_and_saves_nothing(
    client, streetlight, point_a, media_root, case
):
    override, field = BAD_INPUTS[case]
    response = client.post(URL, form_data(streetlight, point_a, **override))
    assert response.status_code == 400
    error = response.context["errors"][field]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error), error
    assert error in response.content.decode()
    assert nothing_saved(media_root)


def test_a_20_mb_photo_is_refused(client, streetlight, point_a, media_root):
    big = upload(b"\xff\xd8" + b"0" * (20 * 1024 * 1024), "big.jpg")
    response = client.post(URL, form_data(streetlight, point_a, photos=[big]))
    assert response.status_code == 400
    assert "10 MB" in response.context["errors"]["photos"]
    assert nothing_saved(media_root)


def test_a_30000_pixel_square_png_is_refused_as_too_large(client, streetlight, point_a, media_root):
    from tests.reports.helpers import huge_png

    bomb = upload(huge_png(), "bomb.png", "image/png")
    response = client.post(URL, form_data(streetlight, point_a, photos=[bomb]))
    assert response.status_code == 400
    assert "像素过大" in response.context["errors"]["photos"]
    assert nothing_saved(media_root)


def test_anonymous_submissions_are_limited_per_address(client, streetlight, point_a, monkeypatch):
    from reports.throttles import AnonSubmitThrottle

    monkeypatch.setattr(AnonSubmitThrottle, "THROTTLE_RATES", {"anon_submit": "2/hour"})
    for i in range(2):
        photo = upload(jpeg_bytes(color=(i, 9, 9)))
        assert client.post(URL, form_data(streetlight, point_a, photos=[photo])).status_code == 302
    response = client.post(URL, form_data(streetlight, point_a))
    assert response.status_code == 429
    assert "提交过于频繁" in response.content.decode()
    assert Report.objects.count() == 2
    other = client.post(URL, form_data(streetlight, point_a), REMOTE_ADDR="10.9.9.9")
    assert other.status_code == 302


def test_nearby_open_reports_of_the_same_category_are_listed_before_sending(
    client, streetlight, point_a
):
    client.post(URL, form_data(streetlight, point_a))
    number = Report.objects.get().number
    query = {"category": streetlight.code, "lon": point_a[0] + 0.001, "lat": point_a[1], "check": 1}
    html = client.get(URL, query).content.decode()
    assert reverse("reports:support", args=[number]) in html
    far = {**query, "lon": point_a[0] + 0.01}  # about 900 m away
    assert reverse("reports:support", args=[number]) not in client.get(URL, far).content.decode()


def test_me_too_follows_the_report_counts_a_supporter_and_writes_an_event(
    login, resident, other_resident, streetlight, point_a
):
    login(resident).post(URL, form_data(streetlight, point_a))
    report = Report.objects.get()
    client = login(other_resident)
    response = client.post(reverse("reports:support", args=[report.number]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.supporter_count == 1
    assert Supporter.objects.get(report=report).user == other_resident
    assert Event.objects.filter(report=report, kind="supported").count() == 1
    assert report.number in client.get("/my/").content.decode()
    client.post(reverse("reports:support", args=[report.number]))  # twice: counted once
    report.refresh_from_db()
    assert report.supporter_count == 1


def test_photos_of_a_report_get_thumbnails_after_commit(
    client, streetlight, point_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, form_data(streetlight, point_a))
    photo = Photo.objects.get()
    assert photo.thumbnail
    assert max(photo.thumbnail.width, photo.thumbnail.height) <= 320
