"""The grid map page and its GeoJSON: served offline, workers' names only for staff."""

import json
import re

import pytest
from django.test import override_settings

from grids.models import Grid

GEOJSON = "/api/v1/grids/geojson"


def feature(response, code: str) -> dict:
    return next(f for f in response.json()["features"] if f["properties"]["code"] == code)


def map_config(html: str) -> dict:
    found = re.search(r'<script id="map-config" type="application/json">(.*?)</script>', html)
    assert found, "the page passes no map configuration"
    return json.loads(found.group(1))


def test_map_page_loads_leaflet_and_its_script_from_the_app_not_a_cdn(client, yima):
    response = client.get("/grids/map/")
    assert response.status_code == 200
    html = response.content.decode()
    # Names carry a content hash when the manifest storage is on (DEBUG off).
    for asset in ("vendor/leaflet/leaflet", "vendor/gcoord/gcoord.global.prod", "js/base_map", "js/grid_map"):  # fmt: skip
        assert re.search(rf'src="/static/{asset}(\.[0-9a-f]{{12}})?\.js"', html), asset
    assert re.search(r'href="/static/vendor/leaflet/leaflet(\.[0-9a-f]{12})?\.css"', html)
    assert GEOJSON in html
    assert not re.search(r"(src|href)=\"(https?:)?//", html)
    config = map_config(html)
    assert config["tiles"] is None  # the offline base map alone, by default
    assert config["basemap_url"] == "/api/v1/grids/basemap"
    assert config["gazetteer_url"] == "/api/v1/gazetteer"


@override_settings(MAP_TILES="custom", MAP_TILE_URL="http://tiles.intranet/{z}/{x}/{y}.png", MAP_TILE_CRS="gcj02", MAP_TILE_ATTRIBUTION="内网底图")  # fmt: skip
def test_map_page_passes_a_custom_tile_server_to_the_script(client, yima):
    tiles = map_config(client.get("/grids/map/").content.decode())["tiles"]
    assert tiles["layers"] == ["http://tiles.intranet/{z}/{x}/{y}.png"]
    assert tiles["crs"] == "gcj02" and tiles["attribution"] == "内网底图"


@pytest.mark.parametrize(
    "preset, host, crs, credit",
    [
        ("tianditu-vector", "tianditu.gov.cn/vec_w", "wgs84", "天地图"),
        ("tianditu-imagery", "tianditu.gov.cn/img_w", "wgs84", "天地图"),
        ("amap", "is.autonavi.com", "gcj02", "高德地图"),
        ("osm", "tile.openstreetmap.org", "wgs84", "OpenStreetMap"),
    ],
)
def test_each_tile_preset_carries_its_attribution_and_coordinate_system(client, yima, settings, preset, host, crs, credit):  # fmt: skip
    settings.MAP_TILES, settings.MAP_TILE_KEY = preset, "abc123key"
    tiles = map_config(client.get("/grids/map/").content.decode())["tiles"]
    assert host in tiles["layers"][0] and tiles["crs"] == crs and credit in tiles["attribution"]
    if preset.startswith("tianditu"):
        # 天地图 draws its labels on a second layer; both carry the key.
        assert len(tiles["layers"]) == 2 and all("tk=abc123key" in url for url in tiles["layers"])
    else:
        assert "abc123key" not in json.dumps(tiles)


@pytest.mark.parametrize(
    "page", ["/grids/map/", "/report/", "/public/", "/dashboard/", "/console/"]
)
def test_every_map_page_loads_the_base_map(page, client, login, yima, categories, dispatcher):
    login(dispatcher)
    html = client.get(page).content.decode()
    assert re.search(r'src="/static/js/base_map(\.[0-9a-f]{12})?\.js"', html), page
    assert map_config(html)["basemap_url"]


def test_geojson_has_every_grid_with_code_community_and_street(client, yima):
    response = client.get(GEOJSON)
    assert response.status_code == 200
    data = response.json()
    assert len(data["features"]) == Grid.objects.count() == 214
    props = feature(response, "411281001001001")["properties"]
    assert props["name"] == "民安社区第1网格"
    assert props["community"] and props["street"]


@pytest.mark.parametrize("who", [None, "resident"])
def test_anonymous_and_residents_see_how_many_workers_but_not_their_names(
    client, login, worker_a, resident, who
):
    if who:
        login(resident)
    props = feature(client.get(GEOJSON), "411281001001001")["properties"]
    assert props["worker_count"] == 1
    assert "workers" not in props
    assert "网格员A" not in client.get(GEOJSON).content.decode()


@pytest.mark.parametrize("who", ["worker_b", "dispatcher", "official", "admin_user"])
def test_staff_see_the_names_of_a_grids_workers(login, worker_a, who, request):
    client = login(request.getfixturevalue(who))
    props = feature(client.get(GEOJSON), "411281001001001")["properties"]
    assert props["workers"] == ["网格员A"]


def test_geojson_follows_an_import_without_waiting_for_the_cache(client, yima):
    client.get(GEOJSON)
    Grid.objects.filter(code="411281001001001").update(name="改名网格")  # as an import would
    Grid.objects.filter(code="411281001001002").delete()
    response = client.get(GEOJSON)
    assert len(response.json()["features"]) == 213


def test_geojson_refuses_writes(client, yima):
    assert client.post(GEOJSON).status_code == 405
