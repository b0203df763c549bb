"""Maps in a real browser on a phone, with no network beyond the app: the offline base map on
every map page, the gazetteer moving the pin, geolocation refused, tiles that fail, and the way
to the problem from a ticket page."""

import math
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from grids.coordinates import gcj02_to_wgs84, wgs84_to_gcj02
from tests.reports.conftest import jpeg_bytes

pytestmark = [pytest.mark.e2e]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "test" / "screenshots"


def metres(a, b) -> float:
    lat = math.radians((a[1] + b[1]) / 2)
    return math.hypot(
        math.radians(a[0] - b[0]) * math.cos(lat) * 6_371_000,
        math.radians(a[1] - b[1]) * 6_371_000,
    )


def zoom_in(page, map_id: str, times: int) -> None:
    button = page.locator(f"#{map_id} .leaflet-control-zoom-in")
    for _ in range(times):
        button.click()
        page.wait_for_timeout(350)  # Leaflet's zoom animation


def zoom_until_grid_labels(page, map_id: str) -> None:
    """Zoom in step by step (a small map starts further out) until grid labels appear."""
    labels = page.locator(f"#{map_id} .basemap-label-grid")
    for _ in range(7):
        if labels.count():
            break
        zoom_in(page, map_id, 1)
    expect(labels.first).to_be_visible()


def assert_base_map(page, map_id: str, name: str, *, whole_city: bool = True) -> None:
    """The outline (drawn in full when the whole city is in view), neighbours, grid boundaries,
    the credit and scale bar; a screenshot for a person to look at."""
    expect(page.locator(f"#{map_id}[data-basemap=ready]")).to_have_count(1)
    outline = page.locator(f"#{map_id} path.basemap-outline")
    expect(outline).to_have_count(1)
    if whole_city:
        assert outline.get_attribute("d").count("L") > 30  # the real outline, not a box
    expect(page.locator(f"#{map_id} path.basemap-neighbour").first).to_be_attached()
    expect(page.locator(f"#{map_id} path.basemap-grid")).to_have_count(214)
    credit = page.locator(f"#{map_id} .leaflet-control-attribution")
    expect(credit).to_contain_text("Leaflet")
    assert credit.locator("svg").count() == 0  # no flag in the credit line
    expect(page.locator(f"#{map_id} .leaflet-control-scale")).to_have_count(1)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(f"#{map_id}").screenshot(path=str(SHOTS / f"{name}.png"))


def test_the_grid_map_shows_the_outline_street_labels_and_grid_labels_when_zoomed(
    live_server, phone_page, yima
):
    page = phone_page
    page.goto(live_server.url + "/grids/map/")
    assert_base_map(page, "grid-map", "grid-map")
    expect(page.locator("#grid-map .basemap-label-street")).to_have_count(7)
    expect(page.locator("#grid-map .basemap-label-grid")).to_have_count(0)
    zoom_in(page, "grid-map", 4)
    expect(page.locator("#grid-map .basemap-label-grid").first).to_be_visible()
    expect(page.locator("#grid-map .basemap-label-street")).to_have_count(0)
    page.locator("#grid-map").screenshot(path=str(SHOTS / "grid-map-zoomed.png"))
    # The page's own clickable grids are still the 214 interactive shapes.
    expect(page.locator("#grid-map path.leaflet-interactive")).to_have_count(214)


@pytest.mark.parametrize(
    "path, map_id, who",
    [
        ("/report/", "report-map", None),
        ("/public/", "public-map", None),
        ("/console/", "console-map", "dispatcher"),
        ("/dashboard/", "dashboard-map", "official"),
    ],
)
def test_every_map_page_draws_the_offline_base_map(
    live_server, phone_page, login_in_browser, yima, categories, request, path, map_id, who
):
    page = phone_page
    page.goto(live_server.url + path)
    if who:
        login_in_browser(page, request.getfixturevalue(who))
    assert_base_map(page, map_id, map_id)
    zoom_until_grid_labels(page, map_id)


def test_the_gazetteer_search_moves_the_pin_and_names_the_grid(
    live_server, phone_page, yima, categories
):
    page = phone_page
    page.goto(live_server.url + "/report/")
    expect(page.locator("#report-map[data-basemap=ready]")).to_have_count(1)
    page.locator("#report-map-search").fill("民安社区第2网格")
    result = page.locator("#report-map-search-results .map-search-result").first
    expect(result).to_contain_text("民安社区第2网格")
    result.tap()
    expect(page.locator("#grid-preview")).to_contain_text("民安社区第2网格")
    expect(page.locator("#pin-readout")).to_contain_text(page.locator("#lon").input_value())
    from grids.models import Grid

    grid = Grid.objects.get(code="411281001001002")
    from shapely.geometry import Point, shape

    lon, lat = float(page.locator("#lon").input_value()), float(page.locator("#lat").input_value())
    assert shape(grid.boundary).contains(Point(lon, lat))
    page.locator("#report-map").screenshot(path=str(SHOTS / "report-search.png"))


def test_refused_geolocation_says_so_at_once(live_server, phone_page, yima, categories):
    page = phone_page
    page.context.clear_permissions()  # headless Chromium refuses a prompt it cannot show
    page.goto(live_server.url + "/report/")
    page.locator("#locate-me").tap()
    status = page.locator("#locate-status")
    expect(status).to_contain_text("没有允许本网站使用定位")
    expect(status).to_have_class(re.compile("error"))


def test_a_geolocation_timeout_says_so(live_server, phone_page, yima, categories):
    page = phone_page
    # A phone that never gets a fix: the browser's own timeout fires (error code 3).
    page.add_init_script(
        "navigator.geolocation.getCurrentPosition = function (ok, fail) {"
        " setTimeout(function () { fail({ code: 3, TIMEOUT: 3 }); }, 50); };"
    )
    page.goto(live_server.url + "/report/")
    page.locator("#locate-me").tap()
    expect(page.locator("#locate-status")).to_contain_text("获取位置超时")


def test_a_granted_position_moves_the_pin_and_shows_its_grid(
    live_server, phone_page, yima, categories, grid_a
):
    page = phone_page
    lon, lat = grid_a.inside_point()
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"longitude": lon, "latitude": lat, "accuracy": 12})
    page.goto(live_server.url + "/report/")
    page.locator("#locate-me").tap()
    expect(page.locator("#locate-status")).to_contain_text("12")
    expect(page.locator("#grid-preview")).to_contain_text(grid_a.name)
    expect(page.locator("#pin-readout")).to_contain_text(f"{lon:.6f}")


def test_gcj02_tiles_shift_the_map_but_the_pin_reports_wgs84_and_failed_tiles_fall_back(
    live_server, phone_page, settings, yima, categories
):
    # An intranet mirror of AutoNavi tiles that is down: every tile fails.
    settings.MAP_TILES = "custom"
    settings.MAP_TILE_URL = live_server.url + "/no-such-tiles/{z}/{x}/{y}.png"
    settings.MAP_TILE_CRS = "gcj02"
    settings.MAP_TILE_ATTRIBUTION = "内网高德镜像"
    page = phone_page
    page.goto(live_server.url + "/report/")
    expect(page.locator("#report-map .basemap-notice")).to_contain_text("离线底图")
    expect(page.locator("#report-map path.basemap-outline")).to_have_count(1)
    page.locator("#report-map-search").fill("民安社区第2网格")
    page.locator("#report-map-search-results .map-search-result").first.tap()
    expect(page.locator("#grid-preview")).to_contain_text("民安社区第2网格")
    # The pin sits on GCJ-02 tiles, yet the form gets the WGS-84 place back (within a metre).
    pin = page.evaluate(
        "(() => { var m = document.querySelector('#report-map .leaflet-marker-icon'); return m ? 1 : 0; })()"
    )
    assert pin == 1
    from django.contrib.auth.models import AnonymousUser

    from grids.gazetteer import search

    place = next(p for p in search("民安社区第2网格", user=AnonymousUser()) if p["kind"] == "grid")
    got = (float(page.locator("#lon").input_value()), float(page.locator("#lat").input_value()))
    assert metres(got, (place["lon"], place["lat"])) < 1.0
    # gcoord in the browser and prcoords on the server agree on the shift.
    shifted = page.evaluate(
        f"gcoord.transform([{place['lon']}, {place['lat']}], gcoord.WGS84, gcoord.GCJ02)"
    )
    assert metres(shifted, wgs84_to_gcj02(place["lon"], place["lat"])) < 0.01


def test_staff_open_the_ticket_in_a_map_app_with_converted_coordinates_and_copy_the_address(
    live_server, phone_page, login_in_browser, dispatcher, grid_a, categories, settings, tmp_path
):
    from reports.actions import submit_report

    settings.MEDIA_ROOT = tmp_path / "media"
    lon, lat = grid_a.inside_point()
    report = submit_report(
        category="01037", lon=lon, lat=lat, address="银杏路12号", photos=[jpeg_bytes()]
    )
    page = phone_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(live_server.url + f"/tickets/{report.number}/")
    login_in_browser(page, dispatcher)
    assert_base_map(page, "ticket-map", "ticket-map", whole_city=False)  # zoomed to the ticket
    expect(page.locator("#ticket-map .basemap-label-grid").first).to_be_visible()
    expect(page.locator("#ticket-coords")).to_have_text(f"{lon:.6f}, {lat:.6f}")

    href = page.locator("#nav-amap").get_attribute("href")
    query = parse_qs(urlparse(href).query)
    gcj = tuple(float(v) for v in query["position"][0].split(","))
    assert query["coordinate"] == ["gaode"]
    assert metres(gcj02_to_wgs84(*gcj), (lon, lat)) < 1.0
    in_browser = page.evaluate(f"gcoord.transform([{lon}, {lat}], gcoord.WGS84, gcoord.GCJ02)")
    assert metres(gcj, in_browser) < 1.0
    baidu = parse_qs(urlparse(page.locator("#nav-baidu").get_attribute("href")).query)
    bd_lat, bd_lon = (float(v) for v in baidu["location"][0].split(","))
    in_browser = page.evaluate(f"gcoord.transform([{lon}, {lat}], gcoord.WGS84, gcoord.BD09)")
    assert metres((bd_lon, bd_lat), in_browser) < 1.0

    page.locator("#copy-address").tap()
    expect(page.locator("#copy-status")).to_contain_text("银杏路12号")
    assert "银杏路12号" in page.evaluate("navigator.clipboard.readText()")


def test_a_hotline_operator_finds_the_callers_place_and_the_report_lands_in_that_grid(
    live_server, phone_page, login_in_browser, dispatcher, yima, categories, settings, tmp_path
):
    from reports.models import Report

    settings.MEDIA_ROOT = tmp_path / "media"
    page = phone_page
    login_in_browser(page, dispatcher)  # dispatchers may take calls too
    page.goto(live_server.url + "/intake/hotline/")
    assert_base_map(page, "hotline-map", "hotline-map")
    page.locator("#hotline-map-search").fill("民安社区第3网格")
    page.locator("#hotline-map-search-results .map-search-result").first.tap()
    expect(page.locator("#id_lon")).not_to_have_value("")
    expect(page.locator("#hotline-pin")).to_contain_text(page.locator("#id_lon").input_value())
    page.locator("#id_caller_phone").fill("13612345678")
    page.locator("#id_category").select_option(index=1)
    page.locator("#id_address").fill("民安社区南门")
    page.locator("#id_description").fill("路灯不亮")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("[data-testid=ticket-number]")).to_be_visible()
    report = Report.objects.get(number=page.locator("[data-testid=ticket-number]").inner_text())
    assert report.grid.code == "411281001001003"
