"""The ticket page's place: coordinates, links into AutoNavi and Baidu with their own coordinate
systems, and the address to copy; the same for every member of staff who may see the ticket."""

import math
import re
from html import unescape
from urllib.parse import parse_qs, urlparse

import prcoords
import pytest

from grids.coordinates import gcj02_to_wgs84


def metres(a, b) -> float:
    lat = math.radians((a[1] + b[1]) / 2)
    return math.hypot(
        math.radians(a[0] - b[0]) * math.cos(lat) * 6_371_000,
        math.radians(a[1] - b[1]) * 6_371_000,
    )


def link(html: str, element_id: str) -> dict:
    href = unescape(re.search(rf'id="{element_id}" href="([^"]+)"', html).group(1))
    url = urlparse(href)
    return {"host": url.netloc, **{k: v[0] for k, v in parse_qs(url.query).items()}}


@pytest.fixture
def ticket(submit):
    return submit("01037", address="千秋路与银杏路交叉口")


@pytest.mark.parametrize("who", ["dispatcher", "worker_a"])
def test_staff_see_the_coordinates_and_navigation_links_with_converted_positions(client, login, ticket, who, request):  # fmt: skip
    login(request.getfixturevalue(who))
    html = client.get(f"/tickets/{ticket.number}/").content.decode()
    assert f"{ticket.lon:.6f}, {ticket.lat:.6f}" in html

    amap = link(html, "nav-amap")
    assert amap["host"] == "uri.amap.com" and amap["coordinate"] == "gaode"
    gcj = tuple(float(v) for v in amap["position"].split(","))
    assert metres(gcj02_to_wgs84(*gcj), (ticket.lon, ticket.lat)) < 1.0
    assert metres(gcj, (ticket.lon, ticket.lat)) > 100  # really shifted, not passed through
    assert amap["name"] == "千秋路与银杏路交叉口"

    baidu = link(html, "nav-baidu")
    assert baidu["host"] == "api.map.baidu.com" and baidu["coord_type"] == "bd09ll"
    bd_lat, bd_lon = (float(v) for v in baidu["location"].split(","))  # latitude first
    back = prcoords.bd_wgs_bored(prcoords.Coords(bd_lat, bd_lon))  # the precise inverse
    assert metres((back.lon, back.lat), (ticket.lon, ticket.lat)) < 1.0


def test_the_copy_button_carries_the_address_community_and_grid(client, login, dispatcher, ticket):
    login(dispatcher)
    html = client.get(f"/tickets/{ticket.number}/").content.decode()
    copied = unescape(re.search(r'id="copy-address" data-copy="([^"]*)"', html).group(1))
    assert copied == f"千秋路与银杏路交叉口 {ticket.community.name} {ticket.grid.name}"


def test_a_worker_of_another_grid_gets_no_place_of_the_ticket(client, login, worker_b, ticket):
    login(worker_b)
    response = client.get(f"/tickets/{ticket.number}/")
    assert response.status_code in (403, 404)
    assert "uri.amap.com" not in response.content.decode()
