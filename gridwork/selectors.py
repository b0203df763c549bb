"""Reads of the 民情 ledger: the pages' lists and the figures (dashboard, stats API, exports)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from accounts.validators import mask_phone
from grids.models import Compound
from gridwork import access
from gridwork.models import Item, PartyOrganisation, PatrolPlan, Visit, Volunteer
from reports.models import Status

# Area filters as stats passes them ({"grid_id": …}, {"community_id": …}, {"street_id": …}).
AREA_FIELDS = {"street_id": "street_id", "community_id": "community_id", "grid_id": "grid_id"}
COMPOUND_AREA_FIELDS = {
    "street_id": "grid__community__street_id",
    "community_id": "grid__community_id",
    "grid_id": "grid_id",
}


def _area_q(area: dict, fields: dict, prefix: str = "") -> Q:
    return Q(**{prefix + fields[key]: value for key, value in area.items() if key in fields})


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_default_timezone()
    return (
        dt.datetime.combine(start, dt.time(0), tzinfo=zone),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=zone),
    )


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


@dataclass
class MinqingFigures:
    """民情 for the period (local dates, inclusive) and area.

    - visits / patrols: 入户走访 and 巡查摸排 recorded with a time in the period.
    - items_collected (民情信息): the 民情 items of those visits; of them items_settled were settled
      on the spot, items_ticketed turned into tickets, items_open are still kept for follow-up
      (the three add up to items_collected).
    - disputes: dispute (矛盾纠纷) items among items_collected; disputes_settled: of them, settled
      on the spot or turned into a ticket that is now closed.
    - projects_done (民生实事): tickets filed from a 民情 item (of any period) and closed in the
      period.
    - compounds: the area's compounds; compounds_visited: of them, those with at least one visit
      or patrol in the period; coverage = compounds_visited ÷ compounds (None without compounds).
    - volunteer_hours: the time of the visits volunteers recorded in the period, in hours (one
      decimal).
    """

    visits: int = 0
    patrols: int = 0
    items_collected: int = 0
    items_settled: int = 0
    items_ticketed: int = 0
    items_open: int = 0
    disputes: int = 0
    disputes_settled: int = 0
    projects_done: int = 0
    compounds: int = 0
    compounds_visited: int = 0
    coverage: float | None = None
    volunteer_hours: float = 0.0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def minqing_figures(*, start: dt.date, end: dt.date, area: dict) -> MinqingFigures:
    low, high = _bounds(start, end)
    visits = Visit.objects.filter(
        _area_q(area, AREA_FIELDS), happened_at__gte=low, happened_at__lt=high
    )
    by_kind = dict(visits.values_list("kind").annotate(n=Count("id")).order_by())
    items = Item.objects.filter(visit__in=visits)
    by_status = dict(items.values_list("status").annotate(n=Count("id")).order_by())
    disputes = items.filter(kind=Item.Kind.DISPUTE)
    compounds = Compound.objects.filter(_area_q(area, COMPOUND_AREA_FIELDS)).count()
    visited = visits.filter(compound__isnull=False).values("compound_id").distinct().count()
    minutes = (
        visits.filter(recorder_role=Visit.Role.VOLUNTEER).aggregate(m=Sum("minutes"))["m"] or 0
    )
    projects = Item.objects.filter(
        _area_q(area, AREA_FIELDS, "visit__"),
        ticket__status=Status.CLOSED,
        ticket__closed_at__gte=low,
        ticket__closed_at__lt=high,
    ).count()
    return MinqingFigures(
        visits=by_kind.get(Visit.Kind.VISIT, 0),
        patrols=by_kind.get(Visit.Kind.PATROL, 0),
        items_collected=sum(by_status.values()),
        items_settled=by_status.get(Item.Status.SETTLED, 0),
        items_ticketed=by_status.get(Item.Status.TICKETED, 0),
        items_open=by_status.get(Item.Status.OPEN, 0),
        disputes=disputes.count(),
        disputes_settled=disputes.filter(
            Q(status=Item.Status.SETTLED) | Q(ticket__status=Status.CLOSED)
        ).count(),
        projects_done=projects,
        compounds=compounds,
        compounds_visited=visited,
        coverage=_rate(visited, compounds),
        volunteer_hours=round(minutes / 60, 1),
    )


# --- pages ---------------------------------------------------------------------------------------


def visits_of(user) -> QuerySet[Visit]:
    return (
        access.visible_visits(user)
        .select_related("grid", "compound", "recorded_by")
        .annotate(item_count=Count("items"))
        .order_by("-happened_at", "-id")
    )


def open_items(user) -> QuerySet[Item]:
    """Items kept for follow-up that the person may handle."""
    return (
        Item.objects.filter(visit__in=access.visible_visits(user), status=Item.Status.OPEN)
        .select_related("visit__grid", "visit__compound")
        .order_by("-visit__happened_at", "id")
    )


def week_bounds(today: dt.date) -> tuple[dt.date, dt.date]:
    """Monday to Sunday of today's week."""
    monday = today - dt.timedelta(days=today.weekday())
    return monday, monday + dt.timedelta(days=6)


def week_progress(grids, *, today: dt.date) -> list[dict]:
    """For each grid with a plan: this week's required and done visits and patrols, and who did
    them ([(name, visits, patrols)], most first)."""
    grids = list(grids)
    plans = {p.grid_id: p for p in PatrolPlan.objects.filter(grid__in=grids)}
    if not plans:
        return []
    low, high = _bounds(*week_bounds(today))
    rows = (
        Visit.objects.filter(grid_id__in=plans, happened_at__gte=low, happened_at__lt=high)
        .values_list("grid_id", "recorded_by__name", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    done: dict[int, dict] = {}
    for grid_id, name, kind, n in rows:
        grid_done = done.setdefault(grid_id, {"visit": 0, "patrol": 0, "people": {}})
        grid_done[kind] += n
        person = grid_done["people"].setdefault(name or "—", {"visit": 0, "patrol": 0})
        person[kind] += n
    out = []
    for grid in grids:
        plan = plans.get(grid.id)
        if plan is None:
            continue
        grid_done = done.get(grid.id, {"visit": 0, "patrol": 0, "people": {}})
        people = sorted(
            grid_done["people"].items(), key=lambda item: -(item[1]["visit"] + item[1]["patrol"])
        )
        out.append(
            {
                "grid": grid,
                "plan": plan,
                "visits": grid_done["visit"],
                "patrols": grid_done["patrol"],
                "met": grid_done["visit"] >= plan.visits_per_week
                and grid_done["patrol"] >= plan.patrols_per_week,
                "people": [(name, c["visit"], c["patrol"]) for name, c in people],
            }
        )
    return out


def volunteers_of(grids) -> list[dict]:
    """The grids' volunteers for their staff: name, masked phone, compound, team, role, hours
    served (all their recorded visits)."""
    volunteers = (
        Volunteer.objects.filter(grid__in=grids, active=True)
        .select_related("user", "grid", "compound")
        .order_by("grid__code", "id")
    )
    minutes = dict(
        Visit.objects.filter(
            recorded_by__volunteer__in=volunteers, recorder_role=Visit.Role.VOLUNTEER
        )
        .values_list("recorded_by_id")
        .annotate(m=Sum("minutes"))
        .order_by()
    )
    return [
        {
            "name": v.user.name,
            "phone": mask_phone(v.user.phone),
            "grid": v.grid,
            "compound": v.compound,
            "team": v.team,
            "serves_as": v.get_serves_as_display(),
            "party_member": v.party_member,
            "hours": round((minutes.get(v.user_id) or 0) / 60, 1),
        }
        for v in volunteers
    ]


def party_organisations(community_ids) -> list[dict]:
    """The communities' party organisations with their members (name, masked phone, role)."""
    organisations = list(
        PartyOrganisation.objects.filter(community_id__in=community_ids)
        .select_related("community", "compound")
        .order_by("community__code", "kind", "name")
    )
    members: dict[int, list[dict]] = {}
    for v in (
        Volunteer.objects.filter(party_organisation__in=organisations)
        .select_related("user")
        .order_by("id")
    ):
        members.setdefault(v.party_organisation_id, []).append(
            {
                "name": v.user.name,
                "phone": mask_phone(v.user.phone),
                "serves_as": v.get_serves_as_display(),
            }
        )
    return [{"organisation": o, "members": members.get(o.id, [])} for o in organisations]
