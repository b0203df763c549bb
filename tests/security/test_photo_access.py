"""Photos are served only through signed URLs handed out by pages that checked their reader;
thumbnails of public reports stay public; nothing is served from /media/."""

import re

import pytest
from django.test import Client

from reports import actions, photo_access
from reports.models import Photo
from tests.reports.conftest import jpeg_bytes

PHOTO_LINK = re.compile(r'href="(/photos/(\d+)/original/\?[^"]+)"')
THUMB_SRC = re.compile(r'src="(/photos/(\d+)/thumb/\?[^"]+)"')


@pytest.fixture
def file(django_capture_on_commit_callbacks):
    """file(category, point): a report with one photo, its thumbnail made (after commit)."""

    def _file(category, point):
        with django_capture_on_commit_callbacks(execute=True):
            return actions.submit_report(
                category=category.code, lon=point[0], lat=point[1], photos=[jpeg_bytes()]
            )

    return _file


def links(html: str, pattern=PHOTO_LINK) -> list[str]:
    return [m.group(1).replace("&amp;", "&") for m in pattern.finditer(html)]


@pytest.fixture
def dispute(file, private_category, point_a):
    return file(private_category, point_a)


def test_an_outsider_gets_nothing_for_a_private_reports_photo(client, dispute, media_root):
    photo = dispute.photos.get()
    assert (media_root / photo.image.name).exists()
    for url in (
        f"/media/{photo.image.name}",
        f"/media/{photo.thumbnail.name}",
        f"/photos/{photo.id}/original/",
        f"/photos/{photo.id}/thumb/",
        f"/photos/{photo.id}/original/?e=9999999999&s=forged",
    ):
        assert client.get(url).status_code == 404, url


def test_the_reporter_opens_their_photo_from_the_tracking_page(dispute, file):
    resident_browser = Client()
    html = resident_browser.get(f"/t/{dispute.tracking_token}/").content.decode()
    (original,) = links(html)
    (thumb,) = links(html, THUMB_SRC)
    for url in (original, thumb):
        response = resident_browser.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
        assert "private" in response["Cache-Control"]
    # The link is the credential: a signature for one photo does not open another.
    other = file(dispute.category, (dispute.lon, dispute.lat))
    forged = original.replace(
        f"/photos/{dispute.photos.get().id}/", f"/photos/{other.photos.get().id}/"
    )
    assert Client().get(forged).status_code == 404


def test_a_signed_url_expires(dispute, monkeypatch, settings):
    photo = dispute.photos.get()
    url = photo_access.signed_url(photo, "original")
    assert Client().get(url).status_code == 200
    now = photo_access.clock()
    monkeypatch.setattr(photo_access, "clock", lambda: now + settings.PHOTO_URL_MAX_AGE + 3601)
    assert Client().get(url).status_code == 404


def test_a_public_reports_thumbnail_is_public_but_its_original_is_not(
    client, file, streetlight, point_a
):
    report = file(streetlight, point_a)
    photo = Photo.objects.get(report=report)
    assert photo.thumbnail
    thumb = client.get(f"/photos/{photo.id}/thumb/")
    assert thumb.status_code == 200 and "public" in thumb["Cache-Control"]
    assert client.get(f"/photos/{photo.id}/original/").status_code == 404
    # The public page links the original with a signature.
    html = client.get(f"/public/{report.number}/").content.decode()
    (original,) = links(html)
    assert client.get(original).status_code == 200


def test_the_api_hands_out_signed_urls_to_whoever_may_read_the_report(client, dispute):
    body = client.get(
        f"/api/v1/reports/{dispute.number}/", {"token": dispute.tracking_token}
    ).json()
    urls = [p["url"] for p in body["photos"]] + [p["thumbnail_url"] for p in body["photos"]]
    assert urls and all(u.startswith("/photos/") for u in urls)
    for url in urls:
        assert client.get(url).status_code == 200


def test_x_accel_delivery_hands_the_file_to_the_proxy(client, dispute, settings):
    settings.PHOTO_DELIVERY = "x-accel"
    photo = dispute.photos.get()
    response = client.get(photo_access.signed_url(photo, "original"))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{photo.image.name}"
    assert response.content == b""
