"""Validation of a GeoJSON grid file before it replaces the city's grids.

Every feature is checked and every problem is reported with the feature's index and code, so an
administrator can fix a whole file in one pass. `validate_features` reads nothing but the
communities; the action decides what the valid set does to the database.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from shapely import STRtree
from shapely.geometry import shape
from shapely.validation import explain_validity

from grids.models import Community

GRID_CODE = re.compile(r"^\d{15}$")
COMMUNITY_CODE = re.compile(r"^\d{12}$")
NAME_MAX_LENGTH = 80
GEOMETRY_TYPES = ("Polygon", "MultiPolygon")


@dataclass(frozen=True)
class Problem:
    index: int | None  # position of the feature in the file; None for a problem of the whole file
    code: str
    message: str

    def __str__(self) -> str:
        if self.index is None:
            return self.message
        return _("第 %(index)d 个要素 (代码 %(code)s): %(message)s") % {
            "index": self.index,
            "code": self.code or "-",
            "message": self.message,
        }


@dataclass(frozen=True)
class GridFeature:
    """One valid feature, ready to be written."""

    index: int
    code: str
    name: str
    community: Community
    geometry: dict  # {"type": ..., "coordinates": ...} exactly as stored in Grid.boundary
    bounds: tuple[float, float, float, float]


class GridImportError(Exception):
    """The file was refused; nothing changed. `problems` lists every reason."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def features_from_geojson(data: object) -> list:
    """The feature list of a parsed GeoJSON document, or GridImportError if it is not one."""
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise GridImportError([Problem(None, "", _("文件不是 GeoJSON FeatureCollection。"))])
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise GridImportError([Problem(None, "", _("文件中没有任何要素。"))])
    return features


def _in_wgs84_range(geom) -> bool:
    min_lon, min_lat, max_lon, max_lat = geom.bounds
    return -180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90


def _check_feature(
    index: int, feature: object, communities: dict[str, Community], problems: list[Problem]
) -> GridFeature | None:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        problems.append(Problem(index, "", _("不是 GeoJSON Feature。")))
        return None
    props = feature.get("properties") or {}
    if not isinstance(props, dict):
        props = {}
    code = str(props.get("code") or "").strip()
    name = str(props.get("name") or "").strip()
    community_code = str(props.get("community_code") or "").strip()
    found = len(problems)

    def problem(message: str) -> None:
        problems.append(Problem(index, code, message))

    if not GRID_CODE.match(code):
        problem(_("网格代码必须是 15 位数字（12 位社区代码 + 3 位序号）。"))
    if not name:
        problem(_("缺少网格名称 (name)。"))
    elif len(name) > NAME_MAX_LENGTH:
        problem(_("网格名称不能超过 %(n)d 个字。") % {"n": NAME_MAX_LENGTH})
    community = None
    if not COMMUNITY_CODE.match(community_code):
        problem(_("社区代码 (community_code) 必须是 12 位数字。"))
    elif community_code not in communities:
        problem(_("未知的社区代码 %(code)s。") % {"code": community_code})
    else:
        community = communities[community_code]
        if GRID_CODE.match(code) and not code.startswith(community_code):
            problem(_("网格代码的前 12 位必须是其社区代码 %(code)s。") % {"code": community_code})

    geometry = feature.get("geometry")
    geom = None
    if not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRY_TYPES:
        problem(_("几何类型必须是 Polygon 或 MultiPolygon。"))
    else:
        try:
            geom = shape(geometry)
        except Exception:  # shapely raises several kinds for malformed coordinates
            problem(_("几何坐标格式错误。"))
        else:
            if geom.is_empty:
                problem(_("几何为空。"))
            elif not geom.is_valid:
                problem(_("多边形无效：%(reason)s。") % {"reason": explain_validity(geom)})
            elif not _in_wgs84_range(geom):
                problem(_("坐标超出 WGS-84 经纬度范围。"))
    if len(problems) > found:
        return None
    return GridFeature(
        index=index,
        code=code,
        name=name,
        community=community,
        geometry={"type": geometry["type"], "coordinates": geometry["coordinates"]},
        bounds=geom.bounds,
    )


def _check_duplicates(valid: list[GridFeature], problems: list[Problem]) -> None:
    first_index: dict[str, int] = {}
    for item in valid:
        if item.code in first_index:
            problems.append(
                Problem(
                    item.index,
                    item.code,
                    _("网格代码与第 %(other)d 个要素重复。") % {"other": first_index[item.code]},
                )
            )
        else:
            first_index[item.code] = item.index


def _check_overlaps(valid: list[GridFeature], problems: list[Problem]) -> None:
    """Grids may share edges and corners, never area: interiors must not intersect."""
    geoms = [shape(item.geometry) for item in valid]
    tree = STRtree(geoms)
    for i, geom in enumerate(geoms):
        for j in tree.query(geom, predicate="intersects"):
            if j <= i or geom.touches(geoms[j]):
                continue
            problems.append(
                Problem(
                    valid[j].index,
                    valid[j].code,
                    _("与第 %(other)d 个要素 (代码 %(code)s) 重叠。")
                    % {"other": valid[i].index, "code": valid[i].code},
                )
            )


def validate_features(
    features: list, *, progress: Callable[[Iterable], Iterable] | None = None
) -> list[GridFeature]:
    """Check every feature; return them all, or raise GridImportError listing every problem."""
    if not features:
        raise GridImportError([Problem(None, "", _("文件中没有任何要素。"))])
    communities = {c.code: c for c in Community.objects.select_related("street")}
    problems: list[Problem] = []
    valid: list[GridFeature] = []
    items: Iterable = enumerate(features)
    if progress is not None:
        items = progress(items)
    for index, feature in items:
        checked = _check_feature(index, feature, communities, problems)
        if checked is not None:
            valid.append(checked)
    _check_duplicates(valid, problems)
    _check_overlaps(valid, problems)
    if problems:
        problems.sort(key=lambda p: p.index if p.index is not None else -1)
        raise GridImportError(problems)
    return valid
