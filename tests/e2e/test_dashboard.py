"""The officials' dashboard in a real browser on a phone: switch scope and period, drill down on
the map from 街道 to 社区, and download the ticket list as Excel."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from stats import rollup
from tests.stats.conftest import history, units  # noqa: F401  (the hand-made history)

pytestmark = [pytest.mark.e2e]

MARCH = "/dashboard/?period=custom&start=2025-03-01&end=2025-03-31"


def received(page):
    return page.locator('[data-figure="received"] strong')


def test_official_switches_scope_drills_down_on_the_map_and_downloads_excel(
    live_server,
    phone_page,
    login_in_browser,
    official,
    history,  # noqa: F811
):
    rollup.refresh_recent()
    page = phone_page
    page.goto(live_server.url + MARCH)
    login_in_browser(page, official)
    expect(received(page)).to_have_text("6")
    expect(page.locator("#dashboard[data-loaded=true]")).to_have_count(1)
    expect(page.locator("#chart-trend canvas")).not_to_have_count(0)
    expect(page.locator("#table-overdue tbody tr")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # Scope: one 街道. The map now shades its grids by 社区.
    page.locator("#f-street").select_option("411281001")
    page.wait_for_url("**street=411281001**")
    expect(received(page)).to_have_text("5")
    expect(page.locator("#scope-name")).to_contain_text("街道")

    # Drill down: tap a 社区 on the map.
    area = page.locator('#dashboard-map path[data-area="411281001001"]').first
    expect(area).to_have_count(1)
    area.click(force=True)
    page.wait_for_url("**community=411281001001**")
    expect(received(page)).to_have_text("5")
    expect(page.locator("#f-grid")).to_have_count(1)  # a 社区 offers its grids

    # The ticket list of this scope and period as Excel.
    with page.expect_download() as download_info:
        page.locator("#export-tickets-xlsx").click()
    content = open(download_info.value.path(), "rb").read()
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "编号"
    assert len(rows) == 1 + 7  # every ticket submitted there, rejected and duplicate too

    # Period: the last 7 days hold none of March's tickets.
    page.locator("#f-period").select_option("7d")
    page.wait_for_url("**period=7d**")
    expect(received(page)).to_have_text("0")
