"""WGS-84 ⇄ GCJ-02 ⇄ BD-09, the one place the server converts coordinates.

We store WGS-84. Chinese map services expect GCJ-02 (AutoNavi, Tencent) or BD-09 (Baidu), so
positions are converted at the edge: links into their apps, tiles drawn under our data. The
arithmetic is prcoords' (public domain); the inverse from GCJ-02 is its iterative one, well
below a metre. The browser does the same with gcoord.
"""

import prcoords


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    point = prcoords.wgs_gcj(prcoords.Coords(lat, lon))
    return point.lon, point.lat


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    point = prcoords.gcj_wgs_bored(prcoords.Coords(lat, lon))
    return point.lon, point.lat


def wgs84_to_bd09(lon: float, lat: float) -> tuple[float, float]:
    point = prcoords.wgs_bd(prcoords.Coords(lat, lon))
    return point.lon, point.lat
