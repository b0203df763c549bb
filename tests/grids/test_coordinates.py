"""WGS-84 ⇄ GCJ-02 ⇄ BD-09 against published pairs, within a metre."""

import math

import pytest

from grids.coordinates import gcj02_to_wgs84, wgs84_to_bd09, wgs84_to_gcj02


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance between two (lon, lat) points, equirectangular (exact enough over metres)."""
    lat = math.radians((a[1] + b[1]) / 2)
    dx = math.radians(a[0] - b[0]) * math.cos(lat) * 6_371_000
    dy = math.radians(a[1] - b[1]) * 6_371_000
    return math.hypot(dx, dy)


# Tiananmen, as published in the README of wandergis/coordtransform (the reference
# implementation most Chinese map code is checked against): WGS-84 → GCJ-02.
TIANANMEN_WGS84 = (116.404, 39.915)
TIANANMEN_GCJ02 = (116.41024449916938, 39.91640428150164)
# gcoord's README: WGS-84 [116.403988, 39.914266] → BD-09 [116.41661560068297, 39.92196580126834].
GCOORD_WGS84 = (116.403988, 39.914266)
GCOORD_BD09 = (116.41661560068297, 39.92196580126834)


def test_wgs84_to_gcj02_matches_the_published_pair_within_a_metre():
    assert metres(wgs84_to_gcj02(*TIANANMEN_WGS84), TIANANMEN_GCJ02) < 1.0


def test_gcj02_to_wgs84_matches_the_published_pair_within_a_metre():
    assert metres(gcj02_to_wgs84(*TIANANMEN_GCJ02), TIANANMEN_WGS84) < 1.0


def test_wgs84_to_bd09_matches_the_published_pair_within_a_metre():
    assert metres(wgs84_to_bd09(*GCOORD_WGS84), GCOORD_BD09) < 1.0


@pytest.mark.parametrize("point", [(111.875, 34.747), (111.83, 34.70), (111.99, 34.80)])
def test_in_yima_the_shift_is_hundreds_of_metres_and_the_round_trip_is_below_a_metre(point):
    gcj = wgs84_to_gcj02(*point)
    assert 100 < metres(gcj, point) < 1000  # the offset a GCJ-02 map shows without conversion
    assert metres(gcj02_to_wgs84(*gcj), point) < 0.1
