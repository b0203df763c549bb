"""The gazetteer: places a person can type to find on a map (地名查找), from the app's own data.

`search(query, user=...)` asks every registered source and returns at most `limit` places, each
a dict with `kind`, `name`, `detail`, `lon`, `lat` (WGS-84) and `zoom` (how close to show it).
The grids app answers with 街道, 社区 and grids; other apps add sources from their
`AppConfig.ready()` (reports adds the addresses already reported; compounds can add 小区):

    from grids.gazetteer import register_source

    def compounds(query: str, *, user, limit: int) -> list[dict]: ...
    register_source(compounds)

A source gets the trimmed query and the asking user (sources decide what that user may see) and
returns places in its own order of relevance.
"""

from collections.abc import Callable

from django.core.cache import cache
from django.utils.translation import gettext as _

from grids.selectors import grids_version

Source = Callable[..., list[dict]]
MIN_QUERY = 1
MAX_QUERY = 50
_sources: list[Source] = []


def register_source(source: Source) -> None:
    if source not in _sources:
        _sources.append(source)


def place(*, kind: str, name: str, detail: str, lon: float, lat: float, zoom: int) -> dict:
    return {
        "kind": kind,
        "name": name,
        "detail": detail,
        "lon": round(lon, 6),
        "lat": round(lat, 6),
        "zoom": zoom,
    }


def search(query: str, *, user, limit: int = 10) -> list[dict]:
    query = query.strip()[:MAX_QUERY]
    if len(query) < MIN_QUERY:
        return []
    found: list[dict] = []
    for source in _sources:
        found.extend(source(query, user=user, limit=limit))
        if len(found) >= limit:
            break
    return found[:limit]


def _divisions() -> list[dict]:
    """Every 街道, 社区 and grid with a point inside it, cached under the grids' version."""
    from grids.basemap import basemap_layers

    key = f"grids:gazetteer:{grids_version()}"
    entries = cache.get(key)
    if entries is None:
        layers = basemap_layers()
        entries = []
        for layer, kind, zoom in (("streets", "street", 13), ("communities", "community", 14), ("grids", "grid", 15)):  # fmt: skip
            for feature in layers[layer]["features"]:
                props = feature["properties"]
                entries.append({"kind": kind, "code": props["code"], "name": props["name"], "label": props["label"], "zoom": zoom})  # fmt: skip
        parents = {e["code"]: e["name"] for e in entries if e["kind"] != "grid"}
        for entry in entries:
            # A grid is described by its 社区 and 街道, a 社区 by its 街道.
            chain = [parents.get(entry["code"][:n]) for n in (12, 9) if len(entry["code"]) > n]
            entry["detail"] = " · ".join(name for name in chain if name)
        cache.set(key, entries, 600)
    return entries


def divisions_source(query: str, *, user, limit: int) -> list[dict]:
    """街道, 社区 and grids whose name or code contains the query (社区 first, then 街道, grids)."""
    words = {"street": _("街道"), "community": _("社区"), "grid": _("网格")}
    order = {"community": 0, "street": 1, "grid": 2}
    hits = [e for e in _divisions() if query in e["name"] or e["code"].startswith(query)]
    hits.sort(key=lambda e: (order[e["kind"]], e["code"]))
    return [
        place(
            kind=e["kind"],
            name=e["name"],
            detail=" · ".join(filter(None, [str(words[e["kind"]]), e["detail"]])),
            lon=e["label"][0],
            lat=e["label"][1],
            zoom=e["zoom"],
        )
        for e in hits[:limit]
    ]


register_source(divisions_source)
