"""Writes of the grids app: seeding, grid geometry changes, memberships. Each leaves a GridEvent."""

import csv
from collections.abc import Callable, Iterable
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actions import record_config_change
from accounts.models import ConfigChange, User
from grids import demo_geometry, lookup
from grids.geojson_import import GridImportError, Problem, validate_features
from grids.models import (
    Community,
    Compound,
    Grid,
    GridEvent,
    GridMembership,
    Street,
    StreetLeader,
)

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

    Their geometry is precomputed (grids/data/demo_grids.geojson): it tiles the city's real outline.
    Existing grids (demo or imported) are never touched, so the seed is safe to run again.
    """
    if Grid.objects.exists():
        return 0
    communities = {c.code: c for c in Community.objects.all()}
    now = timezone.now()
    grids = []
    for feature in demo_geometry.demo_grid_features():
        code = feature["properties"]["code"]
        community = communities[feature["properties"]["community_code"]]
        geometry = feature["geometry"]
        min_lon, min_lat, max_lon, max_lat = _bbox(geometry)
        grids.append(
            Grid(
                code=code,
                name=_grid_name(community, int(code[12:])),
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


@transaction.atomic
def appoint_street_leader(*, user: User, street: Street, actor: User | None = None) -> StreetLeader:
    """Make an official the leader of one 街道 (their figures and tickets narrow to it)."""
    previous = StreetLeader.objects.filter(user=user).select_related("street").first()
    leader, _created = StreetLeader.objects.update_or_create(user=user, defaults={"street": street})
    if not user.is_official:
        user.is_official = True
        user.save(update_fields=["is_official"])
    record_config_change(
        actor=actor,
        instance=leader,
        action=ConfigChange.Action.CHANGED if previous else ConfigChange.Action.ADDED,
        changes={"street": [str(previous.street) if previous else None, str(street)]},
    )
    GridEvent.objects.create(
        kind="street_leader_appointed",
        actor=actor,
        detail={
            "user": user.phone,
            "street": street.code,
            "previous": previous.street.code if previous else None,
        },
    )
    return leader


@transaction.atomic
def remove_street_leader(*, user: User, actor: User | None = None) -> None:
    """The official sees the whole city again."""
    removed = StreetLeader.objects.filter(user=user).select_related("street").first()
    if removed is None:
        return
    removed.delete()
    record_config_change(
        actor=actor,
        model=StreetLeader._meta.label_lower,
        object_id=str(user.pk),
        object_repr=str(user),
        action=ConfigChange.Action.DELETED,
        changes={"street": [str(removed.street), None]},
    )
    GridEvent.objects.create(
        kind="street_leader_removed",
        actor=actor,
        detail={"user": user.phone, "street": removed.street.code},
    )


def _references(grid_ids: list[int], model=Grid) -> dict[int, list[str]]:
    """For each grid (or compound) id, the kinds of rows that point at it (reports, memberships, …).

    Asked of every relation to the model, so apps added later (reports, dispatch) are covered
    without grids importing them.
    """
    found: dict[int, list[str]] = {}
    for relation in model._meta.related_objects:
        field = relation.field.name
        model = relation.related_model
        rows = model._default_manager.filter(**{f"{field}__in": grid_ids})
        for grid_id in rows.values_list(field, flat=True).distinct():
            found.setdefault(grid_id, []).append(str(model._meta.verbose_name))
    return found


def import_grids(
    *,
    features: list,
    actor: User | None = None,
    progress: Callable[[Iterable], Iterable] | None = None,
) -> dict[str, int]:
    """Replace the city's grid geometry with the features of a GeoJSON file, all or nothing.

    Grids are matched by code: new codes are created, changed ones updated (unchanged ones are left
    alone, so exporting and importing again changes nothing), and grids absent from the file are
    removed only when nothing refers to them; otherwise the whole import is refused, naming them.
    Raises GridImportError listing every problem; returns the counts of what changed.
    """
    valid = validate_features(features, progress=progress)
    with transaction.atomic():
        # Lock every grid so two imports (or an import and a seed) cannot interleave.
        existing = {g.code: g for g in Grid.objects.select_for_update().order_by("code")}
        incoming = {item.code for item in valid}
        absent = [grid for code, grid in existing.items() if code not in incoming]
        if absent:
            referenced = _references([g.id for g in absent])
            if referenced:
                names = ", ".join(
                    f"{g.code} ({'/'.join(referenced[g.id])})" for g in absent if g.id in referenced
                )
                raise GridImportError(
                    [
                        Problem(
                            None,
                            "",
                            _("以下网格不在文件中，但仍被引用，不能删除：%(grids)s")
                            % {"grids": names},
                        )
                    ]
                )
        now = timezone.now()
        counts = {"created": 0, "updated": 0, "unchanged": 0, "removed": len(absent)}
        to_create, to_update = [], []
        for item in valid:
            min_lon, min_lat, max_lon, max_lat = item.bounds
            values = {
                "name": item.name,
                "community": item.community,
                "boundary": item.geometry,
                "min_lon": min_lon,
                "min_lat": min_lat,
                "max_lon": max_lon,
                "max_lat": max_lat,
            }
            grid = existing.get(item.code)
            if grid is None:
                to_create.append(Grid(code=item.code, updated_at=now, **values))
                continue
            if (grid.name, grid.community_id, grid.boundary) == (
                item.name,
                item.community.id,
                item.geometry,
            ):
                counts["unchanged"] += 1
                continue
            for field, value in values.items():
                setattr(grid, field, value)
            grid.updated_at = now
            to_update.append(grid)
        Grid.objects.filter(id__in=[g.id for g in absent]).delete()
        Grid.objects.bulk_create(to_create)
        Grid.objects.bulk_update(to_update, [*_GRID_GEOMETRY_FIELDS, "updated_at"])
        counts["created"], counts["updated"] = len(to_create), len(to_update)
        GridEvent.objects.create(
            kind="grids_imported",
            actor=actor,
            detail={**counts, "removed_codes": sorted(g.code for g in absent)},
        )
        transaction.on_commit(lookup.invalidate)
    return counts


_GRID_GEOMETRY_FIELDS = [
    "name",
    "community",
    "boundary",
    "min_lon",
    "min_lat",
    "max_lon",
    "max_lat",
]


@transaction.atomic
def seed_demo_compounds(*, actor: User | None = None) -> int:
    """Create the demo's 297 compounds inside the grids when the city has none; returns how many."""
    import json

    from grids.demo_compounds import demo_compounds

    if Compound.objects.exists() or not Grid.objects.exists():
        return 0
    rows = demo_compounds(Grid.objects.order_by("code"))
    compounds = []
    for row in rows:
        min_lon, min_lat, max_lon, max_lat = row.pop("bounds")
        # Through JSON, so the stored outline compares equal to what an import reads back.
        row["boundary"] = json.loads(json.dumps(row["boundary"]))
        compounds.append(
            Compound(min_lon=min_lon, min_lat=min_lat, max_lon=max_lon, max_lat=max_lat, **row)
        )
    Compound.objects.bulk_create(compounds)
    GridEvent.objects.create(
        kind="demo_compounds_seeded", actor=actor, detail={"compounds": len(compounds)}
    )
    return len(compounds)


def import_compounds(*, features: list, actor: User | None = None) -> dict[str, int]:
    """Replace the city's compounds with a file's (GeoJSON features or CSV rows), all or nothing.

    Matched by code like grids: new codes created, changed ones updated, unchanged ones left
    alone (export then import changes nothing); compounds absent from the file are removed unless
    something (a report, a visit) refers to them, and then the whole import is refused, naming
    them. Raises CompoundImportError listing every problem.
    """
    from grids.compound_import import CompoundImportError, validate_features

    valid = validate_features(features)
    fields = [
        "name", "kind", "grid", "lon", "lat", "boundary", "min_lon", "min_lat", "max_lon",
        "max_lat", "households", "property_manager", "contact_name", "contact_phone",
        "party_branch",
    ]  # fmt: skip
    with transaction.atomic():
        existing = {c.code: c for c in Compound.objects.select_for_update().order_by("code")}
        incoming = {row.code for row in valid}
        absent = [c for code, c in existing.items() if code not in incoming]
        referenced = _references([c.id for c in absent], Compound) if absent else {}
        if referenced:
            names = ", ".join(
                f"{c.code} ({'/'.join(referenced[c.id])})" for c in absent if c.id in referenced
            )
            raise CompoundImportError(
                [
                    Problem(
                        None,
                        "",
                        _("以下小区不在文件中，但仍被引用，不能删除：%(compounds)s")
                        % {"compounds": names},
                    )
                ]
            )
        counts = {"created": 0, "updated": 0, "unchanged": 0, "removed": len(absent)}
        to_create, to_update = [], []
        for row in valid:
            values = {**row.values, "grid": row.grid}
            compound = existing.get(row.code)
            if compound is None:
                to_create.append(Compound(code=row.code, **values))
                continue
            if all(getattr(compound, f) == values[f] for f in fields):
                counts["unchanged"] += 1
                continue
            for field in fields:
                setattr(compound, field, values[field])
            to_update.append(compound)
        Compound.objects.filter(id__in=[c.id for c in absent]).delete()
        Compound.objects.bulk_create(to_create)
        Compound.objects.bulk_update(to_update, fields)
        counts["created"], counts["updated"] = len(to_create), len(to_update)
        GridEvent.objects.create(
            kind="compounds_imported",
            actor=actor,
            detail={**counts, "removed_codes": sorted(c.code for c in absent)},
        )
    return counts
