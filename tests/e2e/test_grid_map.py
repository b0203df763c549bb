"""The grid map in a real browser on a phone: reached from the home page, every grid drawn."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e]


def test_resident_on_a_phone_opens_the_grid_map_and_taps_a_grid_to_see_its_code(
    live_server, phone_page, yima
):
    page = phone_page
    page.goto(live_server.url + "/")
    page.locator("#open-grid-map").tap()
    page.wait_for_url("**/grids/map/")

    grids = page.locator("#grid-map path.leaflet-interactive")
    expect(grids).to_have_count(214)
    expect(page.locator("#grid-map-status")).to_contain_text("214")
    # The map fits a 390 px wide screen without horizontal scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    grids.first.click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("411281001001001")
    expect(popup).to_contain_text("民安社区第1网格")
    expect(popup).to_contain_text("网格员人数")


def test_grid_worker_signed_in_sees_the_names_of_a_grids_workers(
    live_server, phone_page, login_in_browser, worker_a
):
    page = phone_page
    page.goto(live_server.url + "/grids/map/")
    login_in_browser(page, worker_a)
    grids = page.locator("#grid-map path.leaflet-interactive")
    expect(grids).to_have_count(214)
    grids.first.click()
    expect(page.locator(".leaflet-popup-content")).to_contain_text("网格员A")
