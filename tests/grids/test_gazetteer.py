"""The gazetteer: 社区, grids and reported addresses by name; private addresses only for staff;
other apps plug in their own sources."""

import pytest
from shapely.geometry import Point, shape

from grids import gazetteer
from grids.models import Community, Grid

URL = "/api/v1/gazetteer"


def search(client, q: str) -> list[dict]:
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    return response.json()["results"]


def test_a_community_is_found_by_part_of_its_name_at_a_point_inside_it(client, yima):
    results = search(client, "民安")
    first = results[0]
    assert first["kind"] == "community" and first["name"] == "民安社区"
    community = Grid.objects.filter(community__code="411281001001")
    point = Point(first["lon"], first["lat"])
    assert any(shape(g.boundary).contains(point) for g in community)
    assert "千秋路街道" in first["detail"]


def test_a_grid_is_found_by_name_and_by_code(client, yima):
    by_name = [r for r in search(client, "民安社区第3网格") if r["kind"] == "grid"]
    by_code = [r for r in search(client, "411281001001003") if r["kind"] == "grid"]
    assert by_name == by_code and len(by_name) == 1
    grid = Grid.objects.get(code="411281001001003")
    assert shape(grid.boundary).contains(Point(by_name[0]["lon"], by_name[0]["lat"]))


def test_nothing_matches_nonsense_and_an_empty_query_returns_nothing(client, yima):
    assert search(client, "不存在的地方xyz") == []
    assert search(client, "   ") == []


def test_an_overlong_query_is_refused_with_a_message(client, yima):
    response = client.get(URL, {"q": "长" * 51})
    assert response.status_code == 400
    assert "最多 50" in response.json()["detail"]


@pytest.fixture
def reported(yima, categories, grid_a):
    """One report with an address in a public category, one in a private category."""
    from reports.actions import submit_report
    from reports.models import Category
    from tests.reports.conftest import jpeg_bytes

    private = Category.objects.filter(public=False, parent__isnull=False).first()
    lon, lat = grid_a.inside_point()
    public = submit_report(category="01037", lon=lon, lat=lat, address="银杏路12号路灯", photos=[jpeg_bytes()])  # fmt: skip
    hidden = submit_report(category=private.code, lon=lon, lat=lat, address="银杏路8号3单元", photos=[jpeg_bytes()])  # fmt: skip
    return public, hidden


def test_residents_find_addresses_of_public_reports_only(client, login, resident, reported):
    login(resident)
    names = [r["name"] for r in search(client, "银杏路") if r["kind"] == "address"]
    assert names == ["银杏路12号路灯"]


def test_anonymous_visitors_find_addresses_of_public_reports_only(client, reported):
    names = [r["name"] for r in search(client, "银杏路") if r["kind"] == "address"]
    assert names == ["银杏路12号路灯"]


@pytest.mark.parametrize("who", ["dispatcher", "official", "worker_a"])
def test_staff_find_every_reported_address(client, login, reported, who, request):
    login(request.getfixturevalue(who))
    names = sorted(r["name"] for r in search(client, "银杏路") if r["kind"] == "address")
    assert names == ["银杏路12号路灯", "银杏路8号3单元"]
    public = reported[0]
    hit = next(r for r in search(client, "银杏路12号") if r["kind"] == "address")
    assert (hit["lon"], hit["lat"]) == (round(public.lon, 6), round(public.lat, 6))


def test_another_app_can_add_a_source(client, yima, monkeypatch):
    monkeypatch.setattr(gazetteer, "_sources", list(gazetteer._sources))
    community = Community.objects.get(code="411281001002")

    def compounds(query: str, *, user, limit: int) -> list[dict]:
        if query not in "锦绣花园小区":
            return []
        return [gazetteer.place(kind="compound", name="锦绣花园小区", detail=community.name, lon=111.87, lat=34.75, zoom=17)]  # fmt: skip

    gazetteer.register_source(compounds)
    assert [r["kind"] for r in search(client, "锦绣花园")] == ["compound"]
