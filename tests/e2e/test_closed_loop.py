"""The closed loop on phones: a resident files a report, the unit accepts and finishes it with a
photo, the grid worker checks and closes it, the resident rates it; the timeline shows each step.
Routing runs eagerly here; the real-worker path is tested in tests/dispatch."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from dispatch import seed
from dispatch.models import Task, Unit, UnitMembership
from reports.models import Report
from tests.conftest import make_user
from tests.e2e.conftest import PHONE, TIMEOUT_MS
from tests.reports.conftest import gps_exif, jpeg_bytes

pytestmark = [pytest.mark.e2e]


@pytest.fixture
def loop_setup(settings, tmp_path, yima, categories):
    settings.MEDIA_ROOT = tmp_path / "media"
    from yima_gov.celery import run_tasks_in_process

    seed.seed_units()
    seed.seed_rules()
    run_tasks_in_process(True)  # routing and thumbnails in-process
    cache.clear()
    yield
    run_tasks_in_process(False)
    cache.clear()


def _phone(browser):
    context = browser.new_context(**PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    return context, context.new_page()


def test_report_is_worked_checked_closed_and_rated_on_phones(
    live_server, phone_page, browser, login_in_browser, loop_setup, grid_a, worker_a, tmp_path
):
    staff = make_user("13700009999", "城管局 值班")
    UnitMembership.objects.create(user=staff, unit=Unit.objects.get(code="CG"))
    lon, lat = grid_a.inside_point()
    before = tmp_path / "before.jpg"
    before.write_bytes(jpeg_bytes(size=(800, 600), exif=gps_exif(lon, lat)))
    after = tmp_path / "after.jpg"
    after.write_bytes(jpeg_bytes(size=(640, 480), color=(20, 160, 40)))

    # The resident files a broken street light.
    page = phone_page
    page.goto(live_server.url + "/report/")
    page.locator("#photos-input").set_input_files(str(before))
    expect(page.locator("#grid-preview")).to_contain_text(grid_a.community.name)
    page.locator("#common-problems .problem[data-code='01037']").tap()  # 路灯不亮
    expect(page.locator("#category")).to_have_value("01037")
    page.locator("#description").fill("路灯不亮")
    page.locator("#submit-report").tap()
    expect(page.locator("#ticket-number")).to_have_text(re.compile(r"^YM\d{12}$"))
    tracking = page.locator("#tracking-link").input_value()
    report = Report.objects.get()
    task = Task.objects.get(report=report)
    assert task.unit.code == "CG"

    # The unit accepts and finishes it with a photo.
    context, unit_page = _phone(browser)
    login_in_browser(unit_page, staff)
    unit_page.goto(live_server.url + "/unit/")
    unit_page.locator(f"#task-{task.id} a.number").tap()
    unit_page.locator("#accept summary").tap()
    unit_page.locator("#accept button[type=submit]").tap()
    expect(unit_page.locator("#report-status")).to_have_text("处置中")
    unit_page.locator("#finish summary").tap()
    unit_page.locator(f"#id_t{task.id}-finish-note").fill("已更换灯泡")
    unit_page.locator(f"#id_t{task.id}-finish-photo").set_input_files(str(after))
    unit_page.locator("#finish button[type=submit]").tap()
    expect(unit_page.locator("#report-status")).to_have_text("待核查")
    assert unit_page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()

    # The grid worker checks the site and closes it.
    context, worker_page = _phone(browser)
    login_in_browser(worker_page, worker_a)
    worker_page.goto(live_server.url + "/work/")
    worker_page.locator(f"[data-number='{report.number}'] a.number").tap()
    worker_page.locator("#close summary").tap()
    worker_page.locator("#id_close-photo").set_input_files(str(after))
    worker_page.locator("#close button[type=submit]").tap()
    expect(worker_page.locator("#report-status")).to_have_text("已办结")
    assert worker_page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()

    # The resident rates it; the timeline shows every step.
    page.goto(tracking)
    expect(page.locator("#report-status")).to_have_text("已办结")
    page.locator("#rate input[value=satisfied]").check()
    page.locator("#rate button[type=submit]").tap()
    expect(page.locator("#my-rating")).to_have_text("满意")
    timeline = page.locator(".timeline")
    for step in ("已上报", "已派遣", "处置中", "待核查", "已办结", "上报人评价"):
        expect(timeline).to_contain_text(step)
