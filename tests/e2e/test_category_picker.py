"""The catalogue in the browser: a resident on a phone finds 路灯不亮, 井盖丢失, 垃圾满了 and
电线杆倾斜 through the common problems and the search, and each report lands on the standard's
code and its route; a hotline operator picks a matter by its code."""

from pathlib import Path

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from dispatch import seed
from dispatch.models import Task
from reports.models import Report
from tests.reports.conftest import gps_exif, jpeg_bytes

pytestmark = [pytest.mark.e2e]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "test" / "screenshots"

# how the resident finds it, what they tap or type, the code it lands on, the units it goes to
CASES = [
    ("chip", "01037", "01037", ["CG"]),
    ("search", "井盖丢失", "01023", ["CG", "SW"]),
    ("search", "垃圾满了", "06042", ["C411281001001"]),  # community level: the 社区 committee
    ("chip", "01030", "01030", ["CG", "DL", "DX", "LT", "YD", "ZJ"]),  # 电线杆倾斜: six units
]


@pytest.fixture
def world(settings, tmp_path, yima, categories):
    settings.MEDIA_ROOT = tmp_path / "media"
    seed.seed_units()
    seed.seed_rules()
    from yima_gov.celery import run_tasks_in_process

    run_tasks_in_process(True)  # routing runs on submit, as the worker would
    cache.clear()
    yield
    run_tasks_in_process(False)
    cache.clear()


def test_resident_finds_four_problems_by_picker_and_search_and_each_lands_on_its_route(
    live_server, phone_page, world, grid_a, tmp_path
):
    lon, lat = grid_a.inside_point()
    photo = tmp_path / "IMG_0002.jpg"
    photo.write_bytes(jpeg_bytes(size=(1200, 900), exif=gps_exif(lon, lat)))
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = phone_page
    for how, what, code, units in CASES:
        page.goto(live_server.url + "/report/")
        page.locator("#photos-input").set_input_files(str(photo))
        expect(page.locator("#grid-preview")).to_contain_text(grid_a.community.name)
        if how == "chip":
            chip = page.locator(f"#common-problems .problem[data-code='{what}']")
            chip.tap()
            expect(chip).to_have_attribute("aria-pressed", "true")
        else:
            page.locator("#category-search").fill(what)
            first = page.locator("#category-results .problem-result").first
            expect(first).to_have_attribute("data-code", code)
            if code == "01023":
                first.scroll_into_view_if_needed()
                page.screenshot(path=str(SHOTS / "category-search-390.png"), full_page=False)
            first.tap()
        expect(page.locator("#category")).to_have_value(code)
        expect(page.locator("#category-chosen")).to_contain_text(code)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        if code == "01037":
            page.locator("#category-field").screenshot(path=str(SHOTS / "category-picker-390.png"))
        page.locator("#submit-report").tap()
        expect(page.locator("#ticket-number")).to_be_visible()
        report = Report.objects.get(number=page.locator("#ticket-number").inner_text())
        assert (report.category.catalogue, report.category.code) == ("matter", code)
        live = report.tasks.exclude(status=Task.Status.CANCELLED)
        assert sorted(live.values_list("unit__code", flat=True)) == sorted(units), code
        cache.clear()  # the anonymous submission limit


def test_a_hotline_operator_picks_a_matter_by_its_code(
    live_server, phone_page, login_in_browser, dispatcher, world, grid_a
):
    page = phone_page
    login_in_browser(page, dispatcher)  # dispatchers may take calls too
    page.goto(live_server.url + "/intake/hotline/")
    page.locator("#category-finder").fill("10002")
    result = page.locator("#category-finder-results .finder-result").first
    expect(result).to_contain_text("架空线缆脱落")
    result.tap()
    expect(page.locator("#id_category")).to_have_value("10002")
    page.locator("#id_caller_phone").fill("13612345678")
    page.locator("#id_grid").select_option(index=1)
    page.locator("#id_address").fill("民安社区南门")
    page.locator("#id_description").fill("电线掉下来了")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("[data-testid=ticket-number]")).to_be_visible()
    report = Report.objects.get(number=page.locator("[data-testid=ticket-number]").inner_text())
    assert report.category.code == "10002" and report.category.name == "架空线缆脱落"
    live = report.tasks.exclude(status=Task.Status.CANCELLED)
    assert sorted(live.values_list("unit__code", flat=True)) == ["DL", "DX", "LT", "YD"]
