"""Validation of a compound file (GeoJSON or CSV) before it changes the city's compounds.

Like the grid file: every row is checked, every problem is reported with the row's index and
code, and the action writes nothing unless the whole file is valid. A CSV row is turned into the
same feature a GeoJSON file holds, so both forms are checked by one set of rules.
"""

import csv
import io
import json
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from shapely import STRtree
from shapely.geometry import Point, shape
from shapely.validation import explain_validity

from grids.geojson_import import GridImportError, Problem
from grids.models import Compound, Grid

COMPOUND_CODE = re.compile(r"^\d{18}$")
PHONE = re.compile(r"^1[3-9]\d{9}$")
NAME_MAX_LENGTH = 80
TEXT_MAX_LENGTH = 100
MAX_HOUSEHOLDS = 100_000
OUTLINE_TYPES = ("Polygon", "MultiPolygon")


class CompoundImportError(GridImportError):
    """The compound file was refused; nothing changed. `problems` lists every reason."""


@dataclass(frozen=True)
class CompoundRow:
    """One valid compound, ready to be written."""

    index: int
    code: str
    grid: Grid
    values: dict  # the model's fields other than code and grid


def features_from_geojson(data: object) -> list:
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise CompoundImportError([Problem(None, "", _("文件不是 GeoJSON FeatureCollection。"))])
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise CompoundImportError([Problem(None, "", _("文件中没有任何要素。"))])
    return features


def features_from_csv(text: str) -> list:
    """The rows of a CSV file (header as in grids.compounds.CSV_COLUMNS) as GeoJSON features."""
    reader = csv.DictReader(io.StringIO(text))
    missing = {"code", "name", "lon", "lat"} - set(reader.fieldnames or [])
    if missing:
        raise CompoundImportError(
            [
                Problem(
                    None,
                    "",
                    _("CSV 缺少列：%(columns)s。") % {"columns": ", ".join(sorted(missing))},
                )
            ]
        )
    features = []
    for row in reader:
        properties = {key: (value or "").strip() for key, value in row.items() if key}
        boundary = properties.pop("boundary", "")
        geometry: object = {
            "type": "Point",
            "coordinates": [properties.get("lon"), properties.get("lat")],
        }
        if boundary:
            try:
                geometry = json.loads(boundary)
            except json.JSONDecodeError:
                geometry = "bad"
        features.append({"type": "Feature", "properties": properties, "geometry": geometry})
    if not features:
        raise CompoundImportError([Problem(None, "", _("文件中没有任何要素。"))])
    return features


def _number(value, *, low: float, high: float) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


def _check(index: int, feature: object, grids: dict[str, Grid], problems: list[Problem]):
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        problems.append(Problem(index, "", _("不是 GeoJSON Feature。")))
        return None
    props = feature.get("properties")
    props = props if isinstance(props, dict) else {}
    code = str(props.get("code") or "").strip()
    found = len(problems)

    def problem(message: str) -> None:
        problems.append(Problem(index, code, message))

    grid = None
    if not COMPOUND_CODE.match(code):
        problem(_("小区代码必须是 18 位数字（15 位网格代码 + 3 位序号）。"))
    elif code[:15] not in grids:
        problem(_("未知的网格代码 %(code)s。") % {"code": code[:15]})
    else:
        grid = grids[code[:15]]
    name = str(props.get("name") or "").strip()
    if not name:
        problem(_("缺少小区名称 (name)。"))
    elif len(name) > NAME_MAX_LENGTH:
        problem(_("小区名称不能超过 %(n)d 个字。") % {"n": NAME_MAX_LENGTH})
    kind = str(props.get("kind") or Compound.Kind.ESTATE).strip()
    if kind not in Compound.Kind.values:
        problem(_("类型 (kind) 必须是 estate 或 courtyard。"))
    households = props.get("households")
    if households in (None, ""):
        households = None
    else:
        try:
            households = int(households)
        except (TypeError, ValueError):
            households = -1
        if not 0 <= households <= MAX_HOUSEHOLDS:
            problem(_("户数 (households) 必须是 0 到 100000 之间的整数。"))
    texts = {}
    for field in ("property_manager", "contact_name", "party_branch"):
        texts[field] = str(props.get(field) or "").strip()
        if len(texts[field]) > TEXT_MAX_LENGTH:
            problem(_("%(field)s 不能超过 100 个字。") % {"field": field})
    phone = str(props.get("contact_phone") or "").strip()
    if phone:
        if not PHONE.match(phone):
            problem(_("联系电话 (contact_phone) 必须是 11 位手机号码。"))

    geometry = feature.get("geometry")
    geom, outline, point = None, None, None
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Point", *OUTLINE_TYPES):
        problem(_("几何类型必须是 Point、Polygon 或 MultiPolygon。"))
    elif geometry["type"] == "Point":
        coordinates = geometry.get("coordinates")
        if not isinstance(coordinates, list | tuple) or len(coordinates) != 2:
            problem(_("几何坐标格式错误。"))
        else:
            lon = _number(coordinates[0], low=-180, high=180)
            lat = _number(coordinates[1], low=-90, high=90)
            if lon is None or lat is None:
                problem(_("经纬度 (lon, lat) 必须是 WGS-84 范围内的数字。"))
            else:
                point = geom = Point(lon, lat)
    else:
        try:
            geom = shape(geometry)
        except Exception:  # shapely raises several kinds for malformed coordinates
            problem(_("几何坐标格式错误。"))
        else:
            if geom.is_empty:
                problem(_("几何为空。"))
                geom = None
            elif not geom.is_valid:
                problem(_("多边形无效：%(reason)s。") % {"reason": explain_validity(geom)})
                geom = None
            else:
                outline = {"type": geometry["type"], "coordinates": geometry["coordinates"]}
                lon = _number(props.get("lon"), low=-180, high=180)
                lat = _number(props.get("lat"), low=-90, high=90)
                given = Point(lon, lat) if lon is not None and lat is not None else None
                point = (
                    given
                    if given is not None and geom.intersects(given)
                    else geom.representative_point()
                )
    if geom is not None and grid is not None and not shape(grid.boundary).intersects(point):
        problem(_("小区位置不在网格 %(code)s 内。") % {"code": grid.code})
    if len(problems) > found:
        return None
    values = {
        "name": name,
        "kind": kind,
        "households": households,
        "contact_phone": phone,
        "lon": round(point.x, 6),
        "lat": round(point.y, 6),
        "boundary": outline,
        **texts,
    }
    bounds = geom.bounds if outline else (None, None, None, None)
    values.update(dict(zip(("min_lon", "min_lat", "max_lon", "max_lat"), bounds, strict=True)))
    return CompoundRow(index=index, code=code, grid=grid, values=values)


def validate_features(features: list) -> list[CompoundRow]:
    """Check every feature; return them all, or raise CompoundImportError listing every problem."""
    if not features:
        raise CompoundImportError([Problem(None, "", _("文件中没有任何要素。"))])
    grids = {g.code: g for g in Grid.objects.all()}
    problems: list[Problem] = []
    valid: list[CompoundRow] = []
    for index, feature in enumerate(features):
        checked = _check(index, feature, grids, problems)
        if checked is not None:
            valid.append(checked)
    first: dict[str, int] = {}
    for row in valid:
        if row.code in first:
            problems.append(
                Problem(
                    row.index,
                    row.code,
                    _("小区代码与第 %(other)d 个要素重复。") % {"other": first[row.code]},
                )
            )
        else:
            first[row.code] = row.index
    outlined = [row for row in valid if row.values["boundary"]]
    geoms = [shape(row.values["boundary"]) for row in outlined]
    tree = STRtree(geoms)
    for i, geom in enumerate(geoms):
        for j in tree.query(geom, predicate="intersects"):
            if j <= i or geom.touches(geoms[j]):
                continue
            problems.append(
                Problem(
                    outlined[j].index,
                    outlined[j].code,
                    _("与第 %(other)d 个要素 (代码 %(code)s) 重叠。")
                    % {"other": outlined[i].index, "code": outlined[i].code},
                )
            )
    if problems:
        problems.sort(key=lambda p: p.index if p.index is not None else -1)
        raise CompoundImportError(problems)
    return valid
