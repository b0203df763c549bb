"""Compounds (小区/院落): the demo's 297 inside the grids, import/export (GeoJSON and CSV) all or
nothing with every problem named, reports placed in their compound, the map layer and the
gazetteer."""

import copy
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from shapely.geometry import shape

from grids import actions
from grids.basemap import map_config
from grids.models import Compound, Grid
from tests.dispatch.conftest import (
    point_in,
    units,  # noqa: F401  (a fixture)
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def compounds(yima):
    assert actions.seed_demo_compounds() == 297
    return Compound.objects.all()


def snapshot():
    return list(Compound.objects.order_by("code").values())


def test_the_demo_has_297_compounds_each_inside_its_grid_and_none_overlapping(compounds):
    grids = {g.id: shape(g.boundary) for g in Grid.objects.all()}
    outlines = []
    for compound in compounds:
        outline = shape(compound.boundary)
        assert outline.is_valid and grids[compound.grid_id].covers(outline)
        assert outline.intersects(
            shape({"type": "Point", "coordinates": [compound.lon, compound.lat]})
        )
        outlines.append(outline)
    assert Grid.objects.filter(compounds=None).count() == 0  # every grid has one at least
    for i, a in enumerate(outlines):
        for b in outlines[i + 1 :]:
            assert not a.intersects(b) or a.touches(b)
    assert actions.seed_demo_compounds() == 0  # once


@pytest.mark.parametrize("suffix", ["geojson", "csv"])
def test_export_then_import_changes_nothing(compounds, tmp_path, capsys, suffix):
    path = tmp_path / f"compounds.{suffix}"
    call_command("export_compounds", str(path))
    before = snapshot()
    call_command("import_compounds", str(path))
    assert snapshot() == before
    assert "0 created, 0 updated, 297 unchanged, 0 removed" in capsys.readouterr().out


def test_an_import_updates_creates_and_removes(compounds, tmp_path, capsys):
    path = tmp_path / "compounds.geojson"
    call_command("export_compounds", str(path))
    data = json.loads(path.read_text(encoding="utf-8"))
    data["features"][0]["properties"]["name"] = "改名小区"
    removed = data["features"].pop()["properties"]["code"]
    grid = Grid.objects.get(code=data["features"][0]["properties"]["code"][:15])
    lon, lat = point_in(grid)
    data["features"].append(
        {
            "type": "Feature",
            "properties": {"code": grid.code + "999", "name": "新院落", "kind": "courtyard"},
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
        }
    )
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    call_command("import_compounds", str(path))
    assert "1 created, 1 updated, 295 unchanged, 1 removed" in capsys.readouterr().out
    assert not Compound.objects.filter(code=removed).exists()
    assert Compound.objects.get(code=grid.code + "999").boundary is None


def test_a_bad_file_changes_nothing_and_names_every_problem(compounds, tmp_path, capsys):
    path = tmp_path / "compounds.geojson"
    call_command("export_compounds", str(path))
    data = json.loads(path.read_text(encoding="utf-8"))
    bad = copy.deepcopy(data)
    features = bad["features"]
    features[1]["properties"]["code"] = "12345"
    features[2]["properties"]["name"] = ""
    features[3]["properties"]["contact_phone"] = "12345"
    features[4]["geometry"] = features[5]["geometry"]  # overlaps the next one
    features[6]["properties"]["code"] = "411281001001001" + "777"
    features[6]["geometry"] = {"type": "Point", "coordinates": [111.0, 30.0]}  # outside its grid
    features[7]["properties"]["households"] = "很多"
    twin = copy.deepcopy(features[10])  # the same code again, as a point
    props = twin["properties"]
    twin["geometry"] = {"type": "Point", "coordinates": [props["lon"], props["lat"]]}
    features.append(twin)
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    before = snapshot()
    capsys.readouterr()
    with pytest.raises(CommandError, match="7 problem"):
        call_command("import_compounds", str(path))
    assert snapshot() == before
    err = capsys.readouterr().err
    last = len(features) - 1
    for index in (
        "第 1 个",
        "第 2 个",
        "第 3 个",
        "第 5 个",
        "第 6 个",
        "第 7 个",
        f"第 {last} 个",
    ):
        assert index in err
    for message in (
        "18 位数字",
        "缺少小区名称",
        "11 位手机号码",
        "重叠",
        "不在网格",
        "户数",
        "重复",
    ):
        assert message in err


def test_a_bad_csv_names_its_missing_columns(compounds, tmp_path, capsys):
    path = tmp_path / "compounds.csv"
    path.write_text("code,name\n411281001001001001,甲\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_compounds", str(path))
    assert "lat, lon" in capsys.readouterr().err


@pytest.mark.usefixtures("units")
def test_a_compound_a_report_lies_in_cannot_be_removed_by_an_import(
    compounds, tmp_path, capsys, resident
):
    from reports.actions import submit_report

    compound = compounds.order_by("code").last()
    report = submit_report(
        category="01037", lon=compound.lon, lat=compound.lat, reporter=resident, require_photo=False
    )
    assert report.compound == compound  # placed at submission
    path = tmp_path / "compounds.geojson"
    call_command("export_compounds", str(path))
    data = json.loads(path.read_text(encoding="utf-8"))
    data["features"] = [f for f in data["features"] if f["properties"]["code"] != compound.code]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_compounds", str(path))
    assert compound.code in capsys.readouterr().err
    assert Compound.objects.count() == 297


@pytest.mark.usefixtures("units")
def test_a_report_outside_every_compound_has_none(compounds, resident, grid_a):
    from shapely.ops import unary_union

    from reports.actions import submit_report

    taken = unary_union([shape(c.boundary) for c in compounds.filter(grid=grid_a)])
    free = shape(grid_a.boundary).difference(taken.buffer(0.0002)).representative_point()
    report = submit_report(
        category="01037", lon=free.x, lat=free.y, reporter=resident, require_photo=False
    )
    assert report.grid == grid_a and report.compound is None


def test_the_map_layer_shows_outlines_and_names_but_no_person(compounds, client):
    body = client.get(reverse("compounds-geojson")).json()
    assert len(body["features"]) == 297
    first = body["features"][0]
    assert set(first["properties"]) == {"code", "name", "grid", "label"}
    phones = set(compounds.values_list("contact_phone", flat=True))
    assert not any(phone in json.dumps(body) for phone in phones)
    layers = {layer["name"]: layer for layer in map_config()["extra_layers"]}
    assert layers["compounds"]["url"] == reverse("compounds-geojson")


def test_the_gazetteer_finds_a_compound_by_name(compounds, client):
    compound = compounds.order_by("code").first()
    results = client.get(reverse("gazetteer"), {"q": compound.name}).json()["results"]
    found = [r for r in results if r["kind"] == "compound"]
    assert found and found[0]["name"] == compound.name
    assert (found[0]["lon"], found[0]["lat"]) == (compound.lon, compound.lat)
