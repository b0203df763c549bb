"""Reads of compounds (小区 / 院落): point → compound, the map layer, the gazetteer, exports.

A point falls in a compound when it lies in the compound's outline (a compound known only by its
point contains nothing). The grid is found first (grids.lookup), so the question is asked of the
few compounds of one grid, pre-filtered by their bounding boxes in the database.
"""

import csv
import io
import json

from django.utils.translation import gettext as _
from shapely.geometry import Point, shape

from grids.models import Compound

# The columns of the CSV form, in order; `boundary` holds the outline as GeoJSON text (or nothing).
CSV_COLUMNS = [
    "code",
    "name",
    "kind",
    "lon",
    "lat",
    "households",
    "property_manager",
    "contact_name",
    "contact_phone",
    "party_branch",
    "boundary",
]
_PLAIN_FIELDS = [
    "name",
    "kind",
    "property_manager",
    "contact_name",
    "contact_phone",
    "party_branch",
]


def compound_for_point(lon: float, lat: float, *, grid_id: int) -> Compound | None:
    """The compound of grid `grid_id` whose outline contains the point, or None.

    On a shared edge the lowest code wins, as for grids.
    """
    candidates = Compound.objects.filter(
        grid_id=grid_id,
        boundary__isnull=False,
        min_lon__lte=lon,
        max_lon__gte=lon,
        min_lat__lte=lat,
        max_lat__gte=lat,
    ).order_by("code")
    point = Point(lon, lat)
    for compound in candidates:
        if shape(compound.boundary).intersects(point):
            return compound
    return None


def _properties(compound: Compound) -> dict:
    props = {"code": compound.code}
    for field in _PLAIN_FIELDS:
        props[field] = getattr(compound, field)
    props["households"] = compound.households
    props["grid_code"] = compound.grid.code
    return props


def export_feature_collection() -> dict:
    """Every compound as GeoJSON (outline when known, else the point); import_compounds reads it."""
    features = []
    for compound in Compound.objects.select_related("grid").order_by("code"):
        geometry = compound.boundary or {
            "type": "Point",
            "coordinates": [compound.lon, compound.lat],
        }
        properties = _properties(compound)
        if compound.boundary:
            properties["lon"], properties["lat"] = compound.lon, compound.lat
        features.append({"type": "Feature", "properties": properties, "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}


def export_csv() -> str:
    """Every compound as CSV (UTF-8 with header; the outline as GeoJSON text in `boundary`)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for compound in Compound.objects.order_by("code"):
        writer.writerow(
            [
                compound.code,
                compound.name,
                compound.kind,
                compound.lon,
                compound.lat,
                "" if compound.households is None else compound.households,
                compound.property_manager,
                compound.contact_name,
                compound.contact_phone,
                compound.party_branch,
                json.dumps(compound.boundary, ensure_ascii=False) if compound.boundary else "",
            ]
        )
    return out.getvalue()


def map_feature_collection() -> dict:
    """The map layer: each compound's outline (or point), code, name and grid. No person."""
    features = []
    for code, name, grid_code, lon, lat, boundary in Compound.objects.order_by("code").values_list(
        "code", "name", "grid__code", "lon", "lat", "boundary"
    ):
        features.append(
            {
                "type": "Feature",
                "properties": {"code": code, "name": name, "grid": grid_code, "label": [lon, lat]},
                "geometry": boundary or {"type": "Point", "coordinates": [lon, lat]},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def compounds_source(query: str, *, user, limit: int) -> list[dict]:
    """Gazetteer source: compounds whose name contains the query (public geography)."""
    from grids.gazetteer import place

    rows = (
        Compound.objects.filter(name__contains=query)
        .select_related("grid__community")
        .order_by("code")[:limit]
    )
    return [
        place(
            kind="compound",
            name=c.name,
            detail=" · ".join([_("小区"), c.grid.community.name, c.grid.name]),
            lon=c.lon,
            lat=c.lat,
            zoom=17,
        )
        for c in rows
    ]
