"""Writes of the grids app: seeding, grid geometry changes, memberships. Each leaves a GridEvent."""

import csv
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from grids import demo_geometry, lookup
from grids.models import Community, Grid, GridEvent, GridMembership, Street

DATA_DIR = Path(__file__).resolve().parent / "data"


def _bbox(geometry: dict) -> tuple[float, float, float, float]:
    from shapely.geometry import shape

    return shape(geometry).bounds


def read_divisions() -> list[dict]:
    with open(DATA_DIR / "yima_divisions.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@transaction.atomic
def seed_divisions(*, actor: User | None = None) -> dict[str, int]:
    """Create or update the 7 街道 and 35 社区 from the statistical division codes."""
    created = {"streets": 0, "communities": 0}
    rows = read_divisions()
    streets = {}
    for row in rows:
        if row["level"] == "street":
            street, made = Street.objects.update_or_create(
                code=row["code"], defaults={"name": row["name"]}
            )
            streets[street.code] = street
            created["streets"] += made
    for row in rows:
        if row["level"] == "community":
            _, made = Community.objects.update_or_create(
                code=row["code"],
                defaults={"name": row["name"], "street": streets[row["parent_code"]]},
            )
            created["communities"] += made
    if any(created.values()):
        GridEvent.objects.create(kind="divisions_seeded", actor=actor, detail=created)
    return created


def _grid_name(community: Community, seq: int) -> str:
    return f"{community.name.removesuffix('居委会')}第{seq}网格"


@transaction.atomic
def seed_demo_grids(*, actor: User | None = None) -> int:
    """Create the 214 synthetic grids when the city has none; returns how many were created.

    Existing grids (demo or imported) are never touched, so the seed is safe to run again.
    """
    if Grid.objects.exists():
        return 0
    communities = {c.code: c for c in Community.objects.select_related("street")}
    by_street: dict[str, list[str]] = {}
    for community in communities.values():
        by_street.setdefault(community.street.code, []).append(community.code)
    boxes = demo_geometry.community_boxes(by_street)
    counts = demo_geometry.grids_per_community(list(communities))
    now = timezone.now()
    grids = []
    for code, community in sorted(communities.items()):
        for seq, box in enumerate(demo_geometry.grid_boxes(boxes[code], counts[code]), start=1):
            geometry = box.geojson()
            min_lon, min_lat, max_lon, max_lat = _bbox(geometry)
            grids.append(
                Grid(
                    code=f"{code}{seq:03d}",
                    name=_grid_name(community, seq),
                    community=community,
                    boundary=geometry,
                    min_lon=min_lon,
                    min_lat=min_lat,
                    max_lon=max_lon,
                    max_lat=max_lat,
                    updated_at=now,
                )
            )
    Grid.objects.bulk_create(grids)
    GridEvent.objects.create(
        kind="demo_grids_seeded", actor=actor, detail={"grids": len(grids), "synthetic": True}
    )
    transaction.on_commit(lookup.invalidate)
    return len(grids)


@transaction.atomic
def add_grid_member(
    *, user: User, grid: Grid, role: str = GridMembership.Role.WORKER, actor: User | None = None
) -> GridMembership:
    membership, created = GridMembership.objects.get_or_create(
        user=user, grid=grid, defaults={"role": role}
    )
    if created:
        GridEvent.objects.create(
            kind="member_added",
            actor=actor,
            detail={"user": user.phone, "grid": grid.code, "role": role},
        )
    return membership
