"""Links that open a place in the phone's map app, with each app's coordinate system.

AutoNavi (高德) reads GCJ-02 and Baidu reads BD-09; we store WGS-84, so each link carries the
converted position and says which system it is in. Both are the apps' documented web URIs: on a
phone with the app installed they open the app (AutoNavi's callnative=1, Baidu's page offers to),
elsewhere the web map.
"""

from urllib.parse import urlencode

from grids.coordinates import wgs84_to_bd09, wgs84_to_gcj02

SOURCE = "yima.gov.grid"


def amap_marker_url(*, lon: float, lat: float, name: str) -> str:
    gcj_lon, gcj_lat = wgs84_to_gcj02(lon, lat)
    query = {
        "position": f"{gcj_lon:.6f},{gcj_lat:.6f}",
        "name": name,
        "src": SOURCE,
        "coordinate": "gaode",  # GCJ-02
        "callnative": "1",
    }
    return "https://uri.amap.com/marker?" + urlencode(query)


def baidu_marker_url(*, lon: float, lat: float, name: str, detail: str = "") -> str:
    bd_lon, bd_lat = wgs84_to_bd09(lon, lat)
    query = {
        "location": f"{bd_lat:.6f},{bd_lon:.6f}",  # Baidu wants latitude first
        "title": name,
        "content": detail or name,
        "coord_type": "bd09ll",
        "output": "html",
        "src": SOURCE,
    }
    return "https://api.map.baidu.com/marker?" + urlencode(query)


def navigation_links(*, lon: float, lat: float, name: str, detail: str = "") -> dict:
    return {
        "amap": amap_marker_url(lon=lon, lat=lat, name=name),
        "baidu": baidu_marker_url(lon=lon, lat=lat, name=name, detail=detail),
    }
