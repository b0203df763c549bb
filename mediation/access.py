"""Who may do what in 议事 and 调解. Pages, actions and tests ask these, never their own rules.

- A community's staff: members of its community committee unit (dispatch.Unit.community).
- 议事: a community's sessions are recorded and followed up by its staff and the grid workers of
  its grids.
- 调解: a case (parties' names and phones included) is for its mediators with an account, its
  community's staff and the dispatchers; nobody else learns that it exists (404).
"""

from django.db.models import Q, QuerySet

from dispatch import membership
from dispatch.models import LIVE_TASK_STATUSES, Unit, UnitMembership
from grids.models import Community, GridMembership
from mediation.models import Case
from reports.models import Report


def _active(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def staff_community_ids(user) -> set[int]:
    """Communities whose committee the person works for."""
    if not _active(user):
        return set()
    return set(
        UnitMembership.objects.filter(user=user, unit__community__isnull=False).values_list(
            "unit__community_id", flat=True
        )
    )


def deliberation_community_ids(user) -> set[int]:
    """Communities whose sessions the person records: their committee's, their grids'."""
    if not _active(user):
        return set()
    grids = GridMembership.objects.filter(user=user).values_list("grid__community_id", flat=True)
    return staff_community_ids(user) | set(grids)


def deliberation_communities(user) -> QuerySet[Community]:
    return Community.objects.filter(id__in=deliberation_community_ids(user))


def may_record_sessions(user, community_id: int) -> bool:
    return community_id in deliberation_community_ids(user)


def visible_cases(user) -> QuerySet[Case]:
    """The cases the person may open, parties included."""
    if not _active(user):
        return Case.objects.none()
    if user.is_dispatcher:
        return Case.objects.all()
    return Case.objects.filter(
        Q(mediators__user=user) | Q(community_id__in=staff_community_ids(user))
    ).distinct()


def may_work_case(user, case: Case) -> bool:
    if not _active(user):
        return False
    if user.is_dispatcher or case.community_id in staff_community_ids(user):
        return True
    return case.mediators.filter(user=user).exists()


def may_open_case(user, ticket: Report) -> bool:
    """Dispatchers, the ticket community's staff, and the people of a unit holding the ticket."""
    if not _active(user):
        return False
    if user.is_dispatcher or ticket.community_id in staff_community_ids(user):
        return True
    units = Unit.objects.filter(tasks__report=ticket, tasks__status__in=LIVE_TASK_STATUSES)
    return any(membership.is_member(user, unit) for unit in units)


def may_close_ticket(user, ticket: Report) -> bool:
    """The on-site check of dispatch.actions.check_and_close: the grid's workers, dispatchers."""
    return _active(user) and (user.is_dispatcher or membership.serves_grid(user, ticket.grid_id))
