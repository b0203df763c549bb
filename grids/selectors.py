"""Reads of the grids app: GeoJSON for export and for the grid map."""

from django.core.cache import cache
from django.db.models import Count, Max

from accounts.models import User
from grids.models import Grid, GridMembership, StreetLeader

MAP_CACHE_SECONDS = 600


def export_feature_collection() -> dict:
    """Every grid as a GeoJSON FeatureCollection that `import_grids` reads back unchanged."""
    features = []
    for grid in Grid.objects.select_related("community__street").order_by("code"):
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "code": grid.code,
                    "name": grid.name,
                    "community_code": grid.community.code,
                    # Informative only; the import reads the community from community_code.
                    "community": grid.community.name,
                    "street": grid.community.street.name,
                },
                "geometry": grid.boundary,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def grids_version() -> str:
    """Changes whenever a grid is added, changed or removed: a cache key for derived data."""
    agg = Grid.objects.aggregate(n=Count("id"), latest=Max("updated_at"), top=Max("id"))
    latest = agg["latest"].timestamp() if agg["latest"] else 0
    return f"{agg['n']}-{latest}-{agg['top']}"


def _map_features() -> list[dict]:
    # The geometry is the heavy part and changes only on import: cached under the grids' version,
    # so every web process sees a new import at once without a cache flush.
    key = f"grids:map-features:{grids_version()}"
    features = cache.get(key)
    if features is None:
        features = [
            {
                "type": "Feature",
                "id": feature["properties"]["code"],
                "properties": {
                    "code": feature["properties"]["code"],
                    "name": feature["properties"]["name"],
                    "community": feature["properties"]["community"],
                    "street": feature["properties"]["street"],
                },
                "geometry": feature["geometry"],
            }
            for feature in export_feature_collection()["features"]
        ]
        cache.set(key, features, MAP_CACHE_SECONDS)
    return features


def can_see_worker_names(user: User) -> bool:
    """Who may see the names of a grid's workers on the map: grid workers, dispatchers, officials
    and administrators. Everyone else sees how many there are."""
    if not user.is_authenticated:
        return False
    # Checked flag by flag instead of through User.roles, which also asks about unit memberships.
    return (
        user.is_dispatcher
        or user.is_official
        or user.is_staff
        or user.is_superuser
        or user.grid_memberships.exists()
    )


def map_feature_collection(*, user: User) -> dict:
    """The grid map's GeoJSON: workers' names for staff, only their number for everyone else."""
    workers: dict[str, list[str]] = {}
    memberships = GridMembership.objects.select_related("user", "grid").order_by(
        "grid__code", "role", "user__name"
    )
    for membership in memberships:
        workers.setdefault(membership.grid.code, []).append(str(membership.user))
    show_names = can_see_worker_names(user)
    features = []
    for feature in _map_features():
        names = workers.get(feature["properties"]["code"], [])
        properties = {**feature["properties"], "worker_count": len(names)}
        if show_names:
            properties["workers"] = names
        features.append({**feature, "properties": properties})
    return {"type": "FeatureCollection", "features": features}


def official_street_id(user) -> int | None:
    """The 街道 an official's figures and tickets are narrowed to; None for everyone who sees the
    whole city (city officials, dispatchers) or is no official at all."""
    if not (user.is_authenticated and user.is_official) or user.is_dispatcher:
        return None
    return StreetLeader.objects.filter(user=user).values_list("street_id", flat=True).first()
