"""Point → grid: inside, edges, corners, the outline, outside the city, and a rebuilt index after
grids change. Points come from the grids' own geometry, whatever the grids are."""

from django.utils import timezone
from shapely.geometry import Point, shape

from grids import demo_geometry, lookup
from grids.models import Grid


def shared_edge_midpoint(a: Grid, b: Grid) -> tuple[float, float]:
    edge = shape(a.boundary).boundary.intersection(shape(b.boundary).boundary)
    point = edge.interpolate(0.5, normalized=True)
    return point.x, point.y


def test_a_point_inside_a_grid_finds_that_grid(grid_a):
    found = lookup.grid_for_point(*grid_a.inside_point())
    assert found == grid_a
    assert found.street.code == "411281001"


def test_a_point_on_the_edge_between_two_grids_belongs_to_the_lower_code(grid_a, grid_b):
    assert shape(grid_a.boundary).boundary.intersection(shape(grid_b.boundary).boundary).length > 0
    assert lookup.grid_id_for_point(*shared_edge_midpoint(grid_a, grid_b)) == grid_a.id


def test_a_point_where_three_grids_meet_belongs_to_the_lowest_code(yima):
    grid_2 = Grid.objects.get(code="411281001001002")
    shapes = {g.code: shape(g.boundary) for g in Grid.objects.all()}
    for x, y in shapes[grid_2.code].exterior.coords:
        corner = Point(x, y)
        touching = sorted(code for code, s in shapes.items() if s.intersects(corner))
        if len(touching) >= 3:
            break
    else:
        raise AssertionError("grid 2 has no corner shared by three grids")
    assert lookup.grid_for_point(x, y).code == touching[0]


def test_every_vertex_of_the_city_outline_belongs_to_a_grid(yima):
    for lon, lat in demo_geometry.city_outline().geoms[0].exterior.coords:
        assert lookup.grid_id_for_point(lon, lat) is not None


def test_points_outside_the_city_find_no_grid(yima):
    outline = demo_geometry.city_outline()
    west, south, east, north = outline.bounds
    assert lookup.grid_for_point(west - 0.0001, (south + north) / 2) is None
    assert lookup.grid_for_point((west + east) / 2, north + 0.0001) is None
    # A point just outside the outline but inside its bounding box: 1 m beyond an outer edge.
    outside = outline.buffer(0.00002).exterior.interpolate(0.25, normalized=True)
    assert outline.bounds[0] < outside.x < outline.bounds[2]
    assert lookup.grid_for_point(outside.x, outside.y) is None
    assert lookup.grid_for_point(116.4, 39.9) is None  # Beijing


def test_no_grids_means_no_answer(db):
    lookup.invalidate()
    assert lookup.grid_id_for_point(111.9, 34.75) is None


def test_the_index_is_rebuilt_when_another_process_changes_grids(grid_a, grid_b, monkeypatch):
    inside_a = grid_a.inside_point()
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
    inside_a = grid_a.inside_point()
    assert lookup.grid_for_point(*inside_a) == grid_a
    # Another process replaces grid A (an import) within this process's check interval.
    replacement = Grid.objects.get(id=grid_a.id)
    Grid.objects.filter(id=grid_a.id).delete()
    replacement.pk = None
    replacement.save()
    found = lookup.grid_for_point(*inside_a)
    assert found is not None and found.id == replacement.id != grid_a.id
