"""A resident on a phone files a report with a photo and follows it on the tracking page."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from reports.models import Report
from tests.reports.conftest import gps_exif, jpeg_bytes

pytestmark = [pytest.mark.e2e]


@pytest.fixture
def report_setup(settings, tmp_path, yima, categories):
    settings.MEDIA_ROOT = tmp_path / "media"
    from yima_gov.celery import run_tasks_in_process

    run_tasks_in_process(True)  # thumbnails in-process, no broker needed
    cache.clear()  # the anonymous submission limit
    yield
    run_tasks_in_process(False)
    cache.clear()


def test_resident_on_a_phone_files_a_report_with_a_photo_and_opens_the_tracking_link(
    live_server, phone_page, report_setup, grid_a, tmp_path
):
    # A phone photo taken inside grid A: the page reads its GPS, places the pin and names the grid.
    lon, lat = grid_a.inside_point()
    photo = tmp_path / "IMG_0001.jpg"
    photo.write_bytes(jpeg_bytes(size=(2400, 1800), exif=gps_exif(lon, lat)))

    page = phone_page
    page.goto(live_server.url + "/report/")
    page.locator("#photos-input").set_input_files(str(photo))
    expect(page.locator("#photo-previews li")).to_have_count(1)
    expect(page.locator("#grid-preview")).to_contain_text(grid_a.community.name)
    assert abs(float(page.locator("#lon").input_value()) - lon) < 1e-4

    page.locator("#category-search").fill("路灯")
    page.locator("#category-results .problem-result").first.tap()
    expect(page.locator("#category")).to_have_value("01037")
    page.locator("#description").fill("小区门口路灯不亮")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("#submit-report").tap()

    number = page.locator("#ticket-number")
    expect(number).to_have_text(re.compile(r"^YM\d{12}$"))
    link = page.locator("#tracking-link").input_value()
    report = Report.objects.get()
    report.refresh_from_db()
    assert number.inner_text() == report.number
    # The browser sent a downscaled copy (≤1600 px), stored without EXIF.
    stored = report.photos.get()
    assert max(stored.width, stored.height) <= 1600

    page.goto(link)
    expect(page.locator("#report-number")).to_have_text(report.number)
    # Dispatch may already have routed it (eager tasks): the first entry is always the submission.
    expect(page.locator("#report-status")).to_have_text(report.get_status_display())
    expect(page.locator(".timeline li").first).to_contain_text("已上报")


def test_public_map_on_a_phone_shows_public_reports_as_markers(
    live_server, phone_page, report_setup, grid_a, streetlight_report
):
    page = phone_page
    page.goto(live_server.url + "/public/")
    expect(page.locator("#public-map path.leaflet-interactive")).to_have_count(1)
    expect(page.locator("#public-list li")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.fixture
def streetlight_report(grid_a, categories):
    from reports.actions import submit_report

    lon, lat = grid_a.inside_point()
    return submit_report(category="01037", lon=lon, lat=lat, photos=[jpeg_bytes()])
