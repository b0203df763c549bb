"""Point → grid lookups per second: the lookup's index (prepared polygons in an STRtree that
evaluates the predicate itself) against a plain loop over every polygon.

    DEBUG=true .venv/bin/python bench/grid_lookup.py [--points 100000]

Runs on the embedded SQLite database (seeded with the demo grids when it has none: 214 irregular
polygons tiling the city's real outline) and prints the figures; it exits non-zero when the two
methods disagree on any point.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yima_gov.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

import shapely  # noqa: E402
from django.core.management import call_command  # noqa: E402
from shapely.geometry import Point, shape  # noqa: E402

from grids import lookup  # noqa: E402
from grids.models import Grid  # noqa: E402


def plain_loop(polygons: list[tuple[str, int, object]], lon: float, lat: float) -> int | None:
    """The obvious way: test every polygon, keep the lowest code that contains the point."""
    point = Point(lon, lat)
    for _, grid_id, polygon in polygons:  # sorted by code
        if polygon.intersects(point):
            return grid_id
    return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    if not Grid.objects.exists():
        call_command("seed_yima", "--no-demo", verbosity=0)
    grids = Grid.objects.count()
    polygons = sorted((code, gid, shape(b)) for gid, code, b in Grid.objects.values_list("id", "code", "boundary"))  # fmt: skip
    vertices = sum(len(shapely.get_coordinates(p)) for _, _, p in polygons)

    rng = random.Random(args.seed)
    # 5% margin around the grids' extent so some points fall outside every grid.
    west, south, east, north = shapely.total_bounds([p for _, _, p in polygons])
    dx, dy = (east - west) * 0.05, (north - south) * 0.05
    points = [
        (rng.uniform(west - dx, east + dx), rng.uniform(south - dy, north + dy))
        for _ in range(args.points)
    ]

    started = time.perf_counter()
    lookup.invalidate()
    lookup.grid_id_for_point(*points[0])
    build = time.perf_counter() - started

    started = time.perf_counter()
    indexed = [lookup.grid_id_for_point(lon, lat) for lon, lat in points]
    indexed_s = time.perf_counter() - started

    started = time.perf_counter()
    looped = [plain_loop(polygons, lon, lat) for lon, lat in points]
    loop_s = time.perf_counter() - started

    mismatches = sum(a != b for a, b in zip(indexed, looped, strict=True))
    outside = sum(a is None for a in indexed)
    print(
        f"grids: {grids} ({vertices} vertices), points: {args.points} ({outside} outside every grid)"
    )
    print(f"index build: {build * 1000:.1f} ms")
    print(f"indexed lookup: {args.points / indexed_s:,.0f} lookups/s ({indexed_s:.2f} s)")
    print(f"plain loop:     {args.points / loop_s:,.0f} lookups/s ({loop_s:.2f} s)")
    print(f"speed-up: {loop_s / indexed_s:.1f}x; answers that differ: {mismatches}")
    if mismatches:
        sys.exit(1)


if __name__ == "__main__":
    main()
