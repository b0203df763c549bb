from io import StringIO

import shapely
from django.core.management import call_command
from shapely.geometry import shape
from shapely.ops import unary_union

from grids import demo_geometry
from grids.models import Community, Grid, GridEvent, Street


def run_seed() -> str:
    out = StringIO()
    call_command("seed_yima", "--history", "0", stdout=out)
    return out.getvalue()


def test_seed_creates_7_streets_35_communities_and_214_grids(db):
    run_seed()
    assert Street.objects.count() == 7
    assert Community.objects.count() == 35
    assert Grid.objects.count() == 214


def test_seed_twice_changes_nothing(db):
    run_seed()
    before = (
        list(Grid.objects.values_list("code", "boundary", "updated_at")),
        GridEvent.objects.count(),
    )
    output = run_seed()
    after = (
        list(Grid.objects.values_list("code", "boundary", "updated_at")),
        GridEvent.objects.count(),
    )
    assert before == after
    assert "grids: 0 created" in output


def test_grid_codes_are_community_code_plus_a_three_digit_sequence(db):
    run_seed()
    for grid in Grid.objects.select_related("community"):
        assert len(grid.code) == 15 and grid.code.isdigit()
        assert grid.code.startswith(grid.community.code)
        assert 1 <= int(grid.code[12:]) <= 999
    sequences = {}
    for code in Grid.objects.values_list("code", flat=True):
        sequences.setdefault(code[:12], []).append(int(code[12:]))
    for seqs in sequences.values():
        assert sorted(seqs) == list(range(1, len(seqs) + 1))


def test_grids_tile_the_city_outline_without_gaps_or_overlaps(db):
    run_seed()
    polygons = [shape(g) for g in Grid.objects.values_list("boundary", flat=True)]
    outline = demo_geometry.city_outline()
    union = unary_union(polygons)
    assert shapely.coverage_is_valid(polygons)  # neighbours meet edge to edge, none overlap
    assert abs(sum(p.area for p in polygons) - union.area) < 1e-12  # no overlaps
    assert union.geom_type == "Polygon" and not union.interiors  # no holes
    # The union is the city's outline: the grids' vertices were rounded to 6 decimals (0.1 m).
    assert union.symmetric_difference(outline).area < outline.area * 1e-5
    assert union.hausdorff_distance(outline) < 2e-6


def test_every_grid_is_one_irregular_polygon(db):
    run_seed()
    vertices = []
    for boundary in Grid.objects.values_list("boundary", flat=True):
        polygon = shape(boundary)
        assert polygon.geom_type == "Polygon" and polygon.is_valid
        vertices.append(len(polygon.exterior.coords) - 1)
        assert polygon.area < polygon.minimum_rotated_rectangle.area * 0.999 or vertices[-1] != 4
    assert sum(v != 4 for v in vertices) > 200  # not rectangles


def test_every_grid_lies_inside_its_community_and_its_communitys_street(db):
    run_seed()
    by_community: dict[str, list] = {}
    for grid in Grid.objects.select_related("community__street"):
        by_community.setdefault(grid.community.code, []).append(shape(grid.boundary))
        assert grid.community.code.startswith(grid.community.street.code)
    community_shapes = {code: unary_union(polys) for code, polys in by_community.items()}
    codes = sorted(community_shapes)
    for i, a in enumerate(codes):
        for b in codes[i + 1 :]:
            assert community_shapes[a].intersection(community_shapes[b]).area < 1e-12


def test_each_communitys_grids_and_each_streets_communities_are_contiguous(db):
    run_seed()
    by_community: dict[str, list] = {}
    by_street: dict[str, list] = {}
    for grid in Grid.objects.select_related("community__street"):
        by_community.setdefault(grid.community.code, []).append(shape(grid.boundary))
        by_street.setdefault(grid.community.street.code, []).append(shape(grid.boundary))
    assert len(by_community) == 35 and len(by_street) == 7
    for polygons in [*by_community.values(), *by_street.values()]:
        assert unary_union(polygons).geom_type == "Polygon"


def test_grids_are_numbered_west_to_east_then_north_to_south(db):
    run_seed()
    community = Community.objects.get(code="411281001001")
    centres = [
        shape(g.boundary).centroid
        for g in Grid.objects.filter(community=community).order_by("code")
    ]
    keys = [(-round(c.y, 6), round(c.x, 6)) for c in centres]
    assert keys == sorted(keys)
