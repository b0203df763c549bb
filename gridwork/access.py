"""Who may do what in the 民情 ledger. Pages, actions and tests ask these, never their own rules.

- A grid's workers (grids.GridMembership) record visits in their grids and see every visit and
  item of them; they settle or ticket any item of their grids.
- A volunteer (gridwork.Volunteer, active) records visits in their own grid and sees only what
  they recorded; like any resident they see no ticket beyond the ones they filed.
- A community's staff (members of its committee unit) see every visit of its grids.
- A grid's volunteers (name, masked phone, compound, team, hours) and its weekly plan are for its
  workers and its community's staff; the plan is set by the community's staff or the grid leader.
- Party organisations and their members are managed by the community's staff (only they see
  the party page).
- Nobody else learns that a visit exists (404).
"""

from django.db.models import Q, QuerySet

from dispatch.models import UnitMembership
from grids.models import Grid, GridMembership
from gridwork.models import Item, Visit, Volunteer


def _active(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def worker_grid_ids(user) -> set[int]:
    if not _active(user):
        return set()
    return set(GridMembership.objects.filter(user=user).values_list("grid_id", flat=True))


def volunteer_of(user) -> Volunteer | None:
    if not _active(user):
        return None
    return Volunteer.objects.filter(user=user, active=True).select_related("grid").first()


def staff_community_ids(user) -> set[int]:
    """Communities whose committee the person works for."""
    if not _active(user):
        return set()
    return set(
        UnitMembership.objects.filter(user=user, unit__community__isnull=False).values_list(
            "unit__community_id", flat=True
        )
    )


def recording_grids(user) -> QuerySet[Grid]:
    """The grids in which the person records visits: their grids as a worker, or as a volunteer."""
    ids = worker_grid_ids(user)
    volunteer = volunteer_of(user)
    if volunteer is not None:
        ids.add(volunteer.grid_id)
    return Grid.objects.filter(id__in=ids).select_related("community").order_by("code")


def may_record(user, grid_id: int) -> bool:
    return recording_grids(user).filter(id=grid_id).exists()


def role_in(user, grid_id: int) -> str | None:
    """How the person records in this grid: worker (first), volunteer, or None."""
    if grid_id in worker_grid_ids(user):
        return Visit.Role.WORKER
    volunteer = volunteer_of(user)
    if volunteer is not None and volunteer.grid_id == grid_id:
        return Visit.Role.VOLUNTEER
    return None


def uses_ledger(user) -> bool:
    """Whether the 民情 pages are for this person at all."""
    return bool(
        worker_grid_ids(user) or volunteer_of(user) is not None or staff_community_ids(user)
    )


def visible_visits(user) -> QuerySet[Visit]:
    if not _active(user):
        return Visit.objects.none()
    return Visit.objects.filter(
        Q(grid_id__in=worker_grid_ids(user))
        | Q(community_id__in=staff_community_ids(user))
        | Q(recorded_by=user)
    )


def staff_grids(user) -> QuerySet[Grid]:
    """Grids whose people and plans the person sees: their grids as a worker, their community's."""
    if not _active(user):
        return Grid.objects.none()
    return (
        Grid.objects.filter(
            Q(id__in=worker_grid_ids(user)) | Q(community_id__in=staff_community_ids(user))
        )
        .select_related("community")
        .order_by("code")
    )


def may_plan(user, grid: Grid) -> bool:
    """Set a grid's weekly plan: its community's staff and its grid leader (网格长)."""
    if not _active(user):
        return False
    return (
        grid.community_id in staff_community_ids(user)
        or GridMembership.objects.filter(
            user=user, grid=grid, role=GridMembership.Role.LEADER
        ).exists()
    )


def may_manage_party(user, community_id: int) -> bool:
    """Party organisations and members of a community: its staff."""
    return community_id in staff_community_ids(user)


def may_see_visit(user, visit: Visit) -> bool:
    return visible_visits(user).filter(id=visit.id).exists()


def may_handle_item(user, item: Item) -> bool:
    """Settle or ticket an item: its recorder, the grid's workers, the community's staff."""
    if not _active(user):
        return False
    visit = item.visit
    return (
        visit.recorded_by_id == user.id
        or visit.grid_id in worker_grid_ids(user)
        or visit.community_id in staff_community_ids(user)
    )
