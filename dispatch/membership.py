"""Who belongs to which unit. Grid teams take their members from grids.GridMembership (never copied),
every other unit from UnitMembership. The actions' permission checks and the worklists read this."""

from django.db.models import Q, QuerySet

from accounts.models import User
from dispatch.models import Unit, UnitMembership
from grids.models import GridMembership


def members(unit: Unit, *, heads_only: bool = False) -> QuerySet[User]:
    """Active people of a unit (its head(s) only when heads_only)."""
    unit_q = Q(unit_memberships__unit=unit)
    if heads_only:
        unit_q &= Q(unit_memberships__role=UnitMembership.Role.HEAD)
    query = unit_q
    if unit.grid_id:
        grid_q = Q(grid_memberships__grid_id=unit.grid_id)
        if heads_only:
            grid_q &= Q(grid_memberships__role=GridMembership.Role.LEADER)
        query |= grid_q
    return User.objects.filter(query, is_active=True).distinct()


def members_by_unit(units) -> dict[int, list[User]]:
    """Active people of several units at once (two queries): {unit id: [people]}."""
    units = list(units)
    found: dict[int, dict[int, User]] = {u.id: {} for u in units}
    for m in UnitMembership.objects.filter(unit_id__in=found, user__is_active=True).select_related(
        "user"
    ):
        found[m.unit_id][m.user_id] = m.user
    team_of_grid = {u.grid_id: u.id for u in units if u.grid_id}
    if team_of_grid:
        for m in GridMembership.objects.filter(
            grid_id__in=team_of_grid, user__is_active=True
        ).select_related("user"):
            found[team_of_grid[m.grid_id]][m.user_id] = m.user
    return {unit_id: list(people.values()) for unit_id, people in found.items()}


def unit_ids_of(user: User) -> set[int]:
    """Ids of every unit the person works for, grid teams included."""
    if not user.is_authenticated:
        return set()
    ids = set(UnitMembership.objects.filter(user=user).values_list("unit_id", flat=True))
    grid_ids = GridMembership.objects.filter(user=user).values("grid_id")
    ids |= set(Unit.objects.filter(grid_id__in=grid_ids).values_list("id", flat=True))
    return ids


def is_member(user: User, unit: Unit) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if UnitMembership.objects.filter(user=user, unit=unit).exists():
        return True
    return (
        bool(unit.grid_id)
        and GridMembership.objects.filter(user=user, grid_id=unit.grid_id).exists()
    )


def grid_worker_count(grid_id: int) -> int:
    """How many active people work for the grid (workers and leaders)."""
    return GridMembership.objects.filter(grid_id=grid_id, user__is_active=True).count()


def serves_grid(user: User, grid_id: int) -> bool:
    """A grid worker (or leader) of that grid."""
    return (
        user.is_authenticated and GridMembership.objects.filter(user=user, grid_id=grid_id).exists()
    )
