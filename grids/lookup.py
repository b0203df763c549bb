"""Point → grid, the one place that answers "which grid is this in?".

A shapely STRtree over all grid polygons is built once per process and rebuilt when grids change:
the polygons are prepared (GEOS caches an edge index per polygon, so point-in-polygon no longer
walks every edge) and the tree answers the predicate itself, in C, with no Python loop over
bounding-box candidates.
in this process at once (actions call `invalidate()`), in other processes (web nodes, workers) when
the grids' version in the database moves, checked at most every few seconds.
"""

import threading
import time
from dataclasses import dataclass

import numpy as np
import shapely
from django.db.models import Count, Max
from shapely import STRtree
from shapely.geometry import Point, shape

from grids.models import Grid

VERSION_CHECK_SECONDS = 5.0


@dataclass
class _Index:
    version: tuple
    tree: STRtree
    ids: list[int]
    codes: list[str]  # ascending: a lower index is a lower code
    geoms: np.ndarray


_lock = threading.Lock()
_index: _Index | None = None
_checked_at = 0.0


def _current_version() -> tuple:
    agg = Grid.objects.aggregate(n=Count("id"), latest=Max("updated_at"), top=Max("id"))
    return (agg["n"], agg["latest"], agg["top"])


def _build(version: tuple) -> _Index:
    rows = list(Grid.objects.order_by("code").values_list("id", "code", "boundary"))
    geoms = np.array([shape(boundary) for _, _, boundary in rows], dtype=object)
    shapely.prepare(geoms)
    return _Index(
        version=version,
        tree=STRtree(geoms),
        ids=[r[0] for r in rows],
        codes=[r[1] for r in rows],
        geoms=geoms,
    )


def _get_index() -> _Index:
    global _index, _checked_at
    now = time.monotonic()
    index = _index
    if index is not None and now - _checked_at < VERSION_CHECK_SECONDS:
        return index
    with _lock:
        version = _current_version()
        if _index is None or _index.version != version:
            _index = _build(version)
        _checked_at = now
        return _index


def invalidate() -> None:
    """Forget the index; the next lookup rebuilds it. Called by every action that changes grids."""
    global _index
    with _lock:
        _index = None


def grid_id_for_point(lon: float, lat: float) -> int | None:
    """The id of the grid containing the WGS-84 point, or None outside every grid.

    A point on a shared edge or corner belongs to the grid with the lowest code, so every point of
    the service area has exactly one answer.
    """
    index = _get_index()
    if not index.ids:
        return None
    point = Point(lon, lat)
    hits = index.tree.query(point, predicate="intersects")
    if len(hits) == 0:
        return None
    return index.ids[int(hits.min())]  # rows are in code order


def grid_for_point(lon: float, lat: float) -> Grid | None:
    for _attempt in range(2):
        grid_id = grid_id_for_point(lon, lat)
        if grid_id is None:
            return None
        grid = Grid.objects.select_related("community__street").filter(id=grid_id).first()
        if grid is not None:
            return grid
        # Another process replaced the grids within the last few seconds: rebuild and ask again.
        invalidate()
    return None
