"""Point → grid: corners, edges, outside the city, and a rebuilt index after grids change."""

from django.utils import timezone
from shapely.geometry import shape

from grids import demo_geometry, lookup
from grids.models import Grid


def corners(grid: Grid) -> tuple[float, float, float, float]:
    return shape(grid.boundary).bounds


def test_a_point_inside_a_grid_finds_that_grid(grid_a):
    west, south, east, north = corners(grid_a)
    found = lookup.grid_for_point((west + east) / 2, (south + north) / 2)
    assert found == grid_a
    assert found.street.code == "411281001"


def test_a_point_on_the_edge_between_two_grids_belongs_to_the_lower_code(grid_a, grid_b):
    _, south, east, north = corners(grid_a)
    assert corners(grid_b)[0] == east  # grid B lies east of grid A
    assert lookup.grid_id_for_point(east, (south + north) / 2) == grid_a.id


def test_a_point_where_four_grids_meet_belongs_to_the_lowest_code(yima):
    # Grid 2's south-east corner is shared by grids 2, 3 (north row) and two of the south row.
    grid_2 = Grid.objects.get(code="411281001001002")
    _, south, east, _ = corners(grid_2)
    touching = sorted(
        g.code for g in Grid.objects.all() if shape(g.boundary).intersects(shape({"type": "Point", "coordinates": [east, south]}))
    )  # fmt: skip
    assert len(touching) >= 3
    assert lookup.grid_for_point(east, south).code == touching[0]


def test_the_outer_corners_of_the_city_belong_to_a_grid(yima):
    for lon, lat in [
        (demo_geometry.WEST, demo_geometry.NORTH),
        (demo_geometry.EAST, demo_geometry.SOUTH),
    ]:
        assert lookup.grid_id_for_point(lon, lat) is not None


def test_points_outside_the_city_find_no_grid(yima):
    assert lookup.grid_for_point(demo_geometry.WEST - 0.0001, 34.75) is None
    assert lookup.grid_for_point(111.9, demo_geometry.NORTH + 0.0001) is None
    assert lookup.grid_for_point(116.4, 39.9) is None  # Beijing


def test_no_grids_means_no_answer(db):
    lookup.invalidate()
    assert lookup.grid_id_for_point(111.9, 34.75) is None


def test_the_index_is_rebuilt_when_another_process_changes_grids(grid_a, grid_b, monkeypatch):
    west, south, east, north = corners(grid_a)
    inside_a = ((west + east) / 2, (south + north) / 2)
    assert lookup.grid_id_for_point(*inside_a) == grid_a.id
    # Another process moves grid A away; this process has no invalidate() call to rely on and
    # notices through the grids' version once its check interval has passed.
    moved = {"type": "Polygon", "coordinates": [[[0, 0], [0.1, 0], [0.1, 0.1], [0, 0.1], [0, 0]]]}
    Grid.objects.filter(id=grid_a.id).update(boundary=moved, updated_at=timezone.now())
    assert lookup.grid_id_for_point(*inside_a) == grid_a.id  # still the cached index
    monkeypatch.setattr(lookup, "VERSION_CHECK_SECONDS", 0.0)
    assert lookup.grid_id_for_point(*inside_a) is None
    assert lookup.grid_id_for_point(0.05, 0.05) == grid_a.id


def test_a_grid_replaced_by_another_process_is_found_at_once_not_a_stale_id(grid_a):
    west, south, east, north = corners(grid_a)
    inside_a = ((west + east) / 2, (south + north) / 2)
    assert lookup.grid_for_point(*inside_a) == grid_a
    # Another process replaces grid A (an import) within this process's check interval.
    replacement = Grid.objects.get(id=grid_a.id)
    Grid.objects.filter(id=grid_a.id).delete()
    replacement.pk = None
    replacement.save()
    found = lookup.grid_for_point(*inside_a)
    assert found is not None and found.id == replacement.id != grid_a.id
