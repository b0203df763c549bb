"""manage.py import_grids / export_grids: all or nothing, and a round trip that changes nothing."""

import copy
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from shapely.geometry import Polygon, mapping, shape

from grids import lookup
from grids.actions import add_grid_member
from grids.models import Grid, GridEvent

BOWTIE = {"type": "Polygon", "coordinates": [[[111.9, 34.7], [111.91, 34.71], [111.91, 34.7], [111.9, 34.71], [111.9, 34.7]]]}  # fmt: skip


def snapshot():
    return (
        list(Grid.objects.order_by("code").values_list("code", "name", "community__code", "boundary", "updated_at")),
        GridEvent.objects.count(),
    )  # fmt: skip


@pytest.fixture
def exported(yima, tmp_path):
    path = tmp_path / "grids.geojson"
    call_command("export_grids", str(path))
    return json.loads(path.read_text(encoding="utf-8"))


def run_import(tmp_path, data) -> None:
    path = tmp_path / "in.geojson"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    call_command("import_grids", str(path))


def refused(tmp_path, data, capsys) -> str:
    before = snapshot()
    with pytest.raises(CommandError, match="nothing was changed"):
        run_import(tmp_path, data)
    assert snapshot() == before
    return capsys.readouterr().err


def test_export_writes_every_grid_with_code_name_and_community(exported):
    assert len(exported["features"]) == 214
    first = exported["features"][0]
    assert first["properties"]["code"] == "411281001001001"
    assert first["properties"]["community_code"] == "411281001001"
    assert first["geometry"]["type"] == "Polygon"


def test_export_then_import_changes_no_grid(exported, tmp_path, capsys):
    before = snapshot()[0]
    run_import(tmp_path, exported)
    assert snapshot()[0] == before
    assert "0 created, 0 updated, 214 unchanged, 0 removed" in capsys.readouterr().out
    assert GridEvent.objects.filter(kind="grids_imported").count() == 1


def test_import_updates_changed_grids_creates_new_ones_and_removes_absent_ones(
    exported, tmp_path, capsys
):
    data = copy.deepcopy(exported)
    first, last = data["features"][0], data["features"].pop()  # the last grid leaves the file
    first["properties"]["name"] = "民安社区一号网格"
    # Split the first grid in two along a chord between two of its own vertices (no new vertex, so
    # no rounding): one half keeps the code, the other becomes a new grid.
    west_half, east_half = split_along_a_chord(first["geometry"])
    first["geometry"] = mapping(west_half)
    data["features"].append(
        {
            "type": "Feature",
            "properties": {"code": "411281001001900", "name": "新网格", "community_code": "411281001001"},
            "geometry": mapping(east_half),
        }
    )  # fmt: skip
    run_import(tmp_path, data)
    assert "1 created, 1 updated, 212 unchanged, 1 removed" in capsys.readouterr().out
    assert Grid.objects.get(code="411281001001001").name == "民安社区一号网格"
    assert not Grid.objects.filter(code=last["properties"]["code"]).exists()
    new = Grid.objects.get(code="411281001001900")
    assert (new.min_lon, new.min_lat, new.max_lon, new.max_lat) == east_half.bounds
    # The lookup index was rebuilt on commit: the split-off half now answers with the new grid.
    assert lookup.grid_id_for_point(*new.inside_point()) == new.id


def split_along_a_chord(geometry: dict) -> tuple[Polygon, Polygon]:
    """Two valid halves of a polygon, cut between vertex 0 and a vertex near the middle."""
    ring = geometry["coordinates"][0][:-1]
    whole = shape(geometry)
    for k in sorted(range(2, len(ring) - 1), key=lambda k: abs(k - len(ring) / 2)):
        a, b = Polygon(ring[: k + 1]), Polygon(ring[k:] + ring[:1])
        if a.is_valid and b.is_valid and abs(a.area + b.area - whole.area) < 1e-15:
            return (a, b) if a.centroid.x <= b.centroid.x else (b, a)
    raise AssertionError("no chord splits the grid")


@pytest.mark.parametrize(
    "defect, expected",
    [
        (lambda f: f["properties"].update(code="41128100100101"), "15 位数字"),
        (lambda f: f["properties"].update(code="411281001001099"), "前 12 位必须是其社区代码"),
        (lambda f: f["properties"].update(community_code="411281999999", code="411281999999001"), "未知的社区代码"),
        (lambda f: f["properties"].update(name=""), "缺少网格名称"),
        (lambda f: f.update(geometry={"type": "Point", "coordinates": [111.9, 34.7]}), "Polygon 或 MultiPolygon"),
        (lambda f: f.update(geometry=BOWTIE), "多边形无效"),
        (lambda f: f.update(geometry={"type": "Polygon", "coordinates": [[[1, 2]]]}), "几何坐标格式错误"),
        (lambda f: f.update(geometry={"type": "Polygon", "coordinates": [[[211.9, 34.7], [212, 34.7], [212, 34.8], [211.9, 34.7]]]}), "WGS-84"),
    ],
    ids=["short-code", "code-not-in-community", "unknown-community", "no-name", "point", "self-intersecting", "bad-coordinates", "out-of-range"],
)  # fmt: skip
def test_import_with_one_bad_feature_changes_nothing_and_names_it(
    exported, tmp_path, capsys, defect, expected
):
    data = copy.deepcopy(exported)
    defect(data["features"][7])
    err = refused(tmp_path, data, capsys)
    assert expected in err
    assert "第 7 个要素" in err


def test_import_of_overlapping_grids_changes_nothing_and_names_both(exported, tmp_path, capsys):
    data = copy.deepcopy(exported)
    # Grid 2 claims grid 1's area as well as its own.
    data["features"][1]["geometry"] = copy.deepcopy(data["features"][0]["geometry"])
    err = refused(tmp_path, data, capsys)
    assert "重叠" in err
    assert "411281001001001" in err and "411281001001002" in err


def test_import_of_a_duplicate_code_changes_nothing(exported, tmp_path, capsys):
    data = copy.deepcopy(exported)
    data["features"].append(copy.deepcopy(data["features"][0]))
    data["features"][-1]["geometry"] = {"type": "Polygon", "coordinates": [[[112.5, 35], [112.6, 35], [112.6, 35.1], [112.5, 35]]]}  # fmt: skip
    assert "重复" in refused(tmp_path, data, capsys)


def test_import_reports_every_problem_not_just_the_first(exported, tmp_path, capsys):
    data = copy.deepcopy(exported)
    data["features"][3]["properties"]["name"] = ""
    data["features"][40]["geometry"] = BOWTIE
    err = refused(tmp_path, data, capsys)
    assert "第 3 个要素" in err and "第 40 个要素" in err


def test_import_refuses_to_remove_a_grid_someone_serves_and_names_it(
    exported, tmp_path, capsys, worker_a
):
    data = copy.deepcopy(exported)
    data["features"] = [f for f in data["features"] if f["properties"]["code"] != "411281001001001"]
    err = refused(tmp_path, data, capsys)
    assert "411281001001001" in err and "仍被引用" in err


def test_import_of_a_file_that_is_not_geojson_changes_nothing(yima, tmp_path, capsys):
    before = snapshot()
    bad = tmp_path / "bad.geojson"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="not JSON"):
        call_command("import_grids", str(bad))
    with pytest.raises(CommandError):
        run_import(tmp_path, {"type": "Feature"})
    with pytest.raises(CommandError):
        run_import(tmp_path, {"type": "FeatureCollection", "features": []})
    assert snapshot() == before


def test_a_member_keeps_serving_an_updated_grid(exported, tmp_path, worker_a, grid_a):
    data = copy.deepcopy(exported)
    data["features"][0]["properties"]["name"] = "改名后的网格"
    run_import(tmp_path, data)
    grid_a.refresh_from_db()
    assert grid_a.name == "改名后的网格"
    assert grid_a.memberships.filter(user=worker_a).exists()


def test_add_grid_member_is_only_recorded_once(grid_a, resident):
    add_grid_member(user=resident, grid=grid_a)
    add_grid_member(user=resident, grid=grid_a)
    assert GridEvent.objects.filter(kind="member_added").count() == 1
