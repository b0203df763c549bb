"""民情 on phones: a volunteer records a visit with two 民情 items from the phone form (the phone's
position places it in its compound), settles one on the spot and turns the other into a ticket,
which routes; the grid's worker sees both items; the dashboard counts them."""

from pathlib import Path

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from dispatch import seed
from grids import actions as grid_actions
from grids.models import Compound
from gridwork import actions as gridwork_actions
from gridwork.models import Item
from tests.conftest import make_user
from tests.e2e.conftest import PHONE, TIMEOUT_MS

pytestmark = [pytest.mark.e2e]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "test" / "screenshots"


@pytest.fixture
def setup(settings, tmp_path, yima, categories):
    settings.MEDIA_ROOT = tmp_path / "media"
    from yima_gov.celery import run_tasks_in_process

    seed.seed_units()
    seed.seed_rules()
    grid_actions.seed_demo_compounds()
    run_tasks_in_process(True)
    cache.clear()
    yield
    run_tasks_in_process(False)
    cache.clear()


def _phone(browser, live_server, login_in_browser, user, *, geolocation=None):
    options = dict(PHONE)
    if geolocation:
        options.update(geolocation=geolocation, permissions=["geolocation"])
    context = browser.new_context(**options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(live_server.url + "/")
    login_in_browser(page, user)
    return context, page


def test_a_volunteers_visit_on_a_phone_settles_one_item_tickets_the_other_and_is_counted(
    live_server, phone_page, browser, login_in_browser, setup, grid_a, worker_a, official
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    volunteer = make_user("13900000051", "志愿者 孙丽")
    gridwork_actions.add_volunteer(actor=None, user=volunteer, grid=grid_a, team="民安社区服务队")
    compound = Compound.objects.filter(grid=grid_a).order_by("code").first()

    # --- the volunteer, on their phone at the compound -------------------------------------------
    context, page = _phone(
        browser,
        live_server,
        login_in_browser,
        volunteer,
        geolocation={"longitude": compound.lon, "latitude": compound.lat},
    )
    page.goto(live_server.url + "/gridwork/")
    page.locator("#new-visit").click()
    page.get_by_label("走访户 (楼栋/单元/门牌)").fill("3号楼2单元401")
    page.get_by_label("民情 1 类别").select_option("need")
    page.get_by_label("民情 1 内容").fill("独居老人希望有人定期探访")
    page.get_by_label("民情 2 类别").select_option("hazard")
    page.get_by_label("民情 2 内容").fill("楼道里电动车充电，电线拖地")
    page.locator("#use-location").click()
    expect(page.locator("#id_lon")).not_to_have_value("")
    page.screenshot(path=str(SHOTS / "gridwork-visit-form.png"), full_page=True)
    page.locator("#submit-visit").click()
    expect(page.locator(".messages")).to_contain_text("已记录")
    expect(page.locator("#visit-compound")).to_have_text(compound.name)
    items = page.locator("#items > li")
    expect(items).to_have_count(2)

    first, second = items.nth(0), items.nth(1)
    first.locator(".settle-form input[name=note]").fill("已联系社区志愿者每周探访")
    first.locator(".settle-form button").click()
    expect(page.locator("#items > li").nth(0).locator(".status")).to_have_text("当场解决")
    second = page.locator("#items > li").nth(1)
    second.locator(".ticket-form select[name=category]").select_option("01037")
    second.locator(".ticket-form button").click()
    expect(page.locator(".messages")).to_contain_text("已转为工单")
    expect(page.locator("#items > li").nth(1).locator(".status")).to_have_text("已转工单")
    page.screenshot(path=str(SHOTS / "gridwork-visit.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()

    hazard = Item.objects.get(kind="hazard")
    ticket = hazard.ticket
    ticket.refresh_from_db()
    assert ticket.status == "dispatched" and ticket.tasks.exists()  # routed (eager worker)
    assert ticket.compound == compound

    # --- the grid worker sees both --------------------------------------------------------------
    context, page = _phone(browser, live_server, login_in_browser, worker_a)
    page.goto(live_server.url + "/gridwork/")
    page.locator("#visits a").first.click()
    expect(page.locator("#items")).to_contain_text("独居老人希望有人定期探访")
    expect(page.locator("#items")).to_contain_text(ticket.number)
    context.close()

    # --- the dashboard counts them ----------------------------------------------------------------
    page = phone_page
    page.goto(live_server.url + "/dashboard/?period=7d")
    login_in_browser(page, official)
    expect(page.locator('[data-figure="items_collected"] strong')).to_have_text("2")
    expect(page.locator('[data-figure="items_settled"] strong')).to_have_text("1")
    expect(page.locator('[data-figure="items_ticketed"] strong')).to_have_text("1")
    page.locator("#minqing-figures").screenshot(path=str(SHOTS / "gridwork-dashboard.png"))
