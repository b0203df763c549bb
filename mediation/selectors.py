"""Reads of 议事 and 调解: the pages' lists and the figures (DESIGN §5, 议事 / 调解).

The figures take a period (first and last Asia/Shanghai day, inclusive), "today" and an area
filter ({} for the city, or one of street_id / community_id / grid_id). They are counts only:
nothing here returns a party's or a mediator's personal data except `by_mediator`'s names of
mediators, which the dashboard's readers (officials, dispatchers) may see.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from dispatch import membership
from dispatch.models import LIVE_TASK_STATUSES
from grids.models import Community
from mediation import access
from mediation.models import Case, Mediator, Organisation, Session, Topic
from reports.models import OPEN_STATUSES, Category, Report, Status

# --- pages -----------------------------------------------------------------------------------------


def sessions_of(user) -> QuerySet[Session]:
    return (
        Session.objects.filter(community_id__in=access.deliberation_community_ids(user))
        .select_related("community", "grid")
        .annotate(topic_count=Count("topics"))
    )


def open_decisions(user) -> QuerySet[Topic]:
    """Decisions not yet carried out, soonest due first: listed until done."""
    return (
        Topic.objects.filter(
            outcome=Topic.Outcome.DECISION,
            decision_done_at__isnull=True,
            session__community_id__in=access.deliberation_community_ids(user),
        )
        .select_related("session", "session__community")
        .order_by("decision_due", "id")
    )


def public_sessions(community: Community, *, limit: int = 20) -> list[Session]:
    """A community's sessions for its public page: dates, places, counts, topics and outcomes.
    The template shows no facilitator, discussion, owner or photo."""
    topics = Topic.objects.only(
        "id", "session_id", "title", "outcome", "decision_due", "decision_done_at", "ticket_id"
    ).select_related(None)
    return list(
        Session.objects.filter(community=community)
        .only("id", "community_id", "grid_id", "held_on", "place", "attendance")
        .prefetch_related(Prefetch("topics", queryset=topics))
        .order_by("-held_on", "-id")[:limit]
    )


def cases_of(user) -> QuerySet[Case]:
    # Parties appear masked in lists (张*), in full only on the case page.
    return (
        access.visible_cases(user)
        .select_related("organisation", "community", "ticket")
        .prefetch_related("parties")
    )


def disputes_awaiting_case(user) -> QuerySet[Report]:
    """Open dispute tickets without a case that this person may open one for."""
    if not (user.is_authenticated and user.is_active):
        return Report.objects.none()
    tickets = Report.objects.filter(
        category__kind=Category.Kind.DISPUTE,
        status__in=(*OPEN_STATUSES, Status.SUSPENDED),
        mediation_case__isnull=True,
    ).select_related("category", "community", "grid")
    if user.is_dispatcher:
        return tickets.order_by("-submitted_at")
    held = Q(tasks__unit_id__in=membership.unit_ids_of(user), tasks__status__in=LIVE_TASK_STATUSES)
    return (
        tickets.filter(held | Q(community_id__in=access.staff_community_ids(user)))
        .distinct()
        .order_by("-submitted_at")
    )


def organisations_for(community_id: int) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        Q(community__isnull=True) | Q(community_id=community_id), is_active=True
    )


def case_outcomes_by_ticket(ticket_ids) -> dict[int, str]:
    """{ticket id: its case's outcome ("" while the case runs)} for the tickets that have a case."""
    return dict(Case.objects.filter(ticket_id__in=ticket_ids).values_list("ticket_id", "outcome"))


# --- figures ---------------------------------------------------------------------------------------

AREA_FIELDS = {
    "street_id": "community__street_id",
    "community_id": "community_id",
    "grid_id": "grid_id",
}


def _area_q(area: dict, prefix: str = "") -> Q:
    return Q(
        **{prefix + AREA_FIELDS[key]: value for key, value in area.items() if key in AREA_FIELDS}
    )


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_default_timezone()
    return (
        dt.datetime.combine(start, dt.time(0), tzinfo=zone),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=zone),
    )


@dataclass
class CaseFigures:
    """Mediation cases opened (受理) in the period and how they ended.

    - accepted (受理纠纷): cases opened in the period.
    - counted: those past their follow-up: concluded as 化解成功 or 未化解, or with an agreement
      whose follow-up visit is overdue (due before today, not yet made). Cases still in
      mediation, waiting for a visit that is not yet due, or withdrawn are not counted.
    - settled (化解成功): concluded as settled: the follow-up found the agreement held.
    - 化解率 = settled ÷ counted (None when nothing is counted).
    """

    accepted: int = 0
    counted: int = 0
    settled: int = 0
    unsettled: int = 0
    withdrawn: int = 0

    @property
    def settlement_rate(self) -> float | None:
        """化解率 (调解): settled ÷ cases past their follow-up."""
        return round(self.settled / self.counted, 4) if self.counted else None

    def add(self, case: dict, today: dt.date) -> None:
        self.accepted += 1
        outcome = case["outcome"]
        if outcome == Case.Outcome.SETTLED:
            self.counted += 1
            self.settled += 1
        elif outcome == Case.Outcome.UNSETTLED:
            self.counted += 1
            self.unsettled += 1
        elif outcome == Case.Outcome.WITHDRAWN:
            self.withdrawn += 1
        elif case["status"] == Case.Status.AGREED and case["follow_up_due"] < today:
            self.counted += 1

    def as_dict(self) -> dict:
        return {
            "accepted": self.accepted,
            "counted": self.counted,
            "settled": self.settled,
            "unsettled": self.unsettled,
            "withdrawn": self.withdrawn,
            "settlement_rate": self.settlement_rate,
        }


def _cases(start: dt.date, end: dt.date, area: dict) -> QuerySet[Case]:
    low, high = _bounds(start, end)
    return Case.objects.filter(_area_q(area), opened_at__gte=low, opened_at__lt=high)


CASE_FIELDS = ("id", "outcome", "status", "follow_up_due")


def case_figures(*, start: dt.date, end: dt.date, today: dt.date, area: dict) -> CaseFigures:
    """调解 for the period and area: see CaseFigures for each count's definition."""
    figures = CaseFigures()
    for case in _cases(start, end, area).values(*CASE_FIELDS):
        figures.add(case, today)
    return figures


def case_breakdown(
    *, start: dt.date, end: dt.date, today: dt.date, area: dict
) -> dict[str, list[dict]]:
    """The same figures by community, by organisation and by mediator (a case with two mediators
    counts for each of them), largest first."""
    cases = list(
        _cases(start, end, area).values(*CASE_FIELDS, "community__name", "organisation__name")
    )
    groups: dict[str, dict[str, CaseFigures]] = {
        "community": defaultdict(CaseFigures),
        "organisation": defaultdict(CaseFigures),
        "mediator": defaultdict(CaseFigures),
    }
    by_id = {case["id"]: case for case in cases}
    for case in cases:
        groups["community"][case["community__name"]].add(case, today)
        groups["organisation"][case["organisation__name"]].add(case, today)
    for mediator in Mediator.objects.filter(case_id__in=list(by_id)).select_related("user"):
        groups["mediator"][mediator.label].add(by_id[mediator.case_id], today)
    return {
        key: [
            {"name": name, **f.as_dict()}
            for name, f in sorted(found.items(), key=lambda item: (-item[1].accepted, item[0]))
        ]
        for key, found in groups.items()
    }


@dataclass
class DeliberationFigures:
    """议事 for the period and area.

    - sessions_held: sessions held (by their date) in the period.
    - topics_raised: topics of those sessions; topics_settled: of them, settled on the spot;
      topics_decided / topics_ticketed: ended in a decision / a ticket.
    - decisions_overdue: decisions of the area's sessions (held at any time) not carried out and
      due before today: a standing list, like 超期件, not a cohort of the period.
    """

    sessions_held: int = 0
    topics_raised: int = 0
    topics_settled: int = 0
    topics_decided: int = 0
    topics_ticketed: int = 0
    decisions_overdue: int = 0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def deliberation_figures(
    *, start: dt.date, end: dt.date, today: dt.date, area: dict
) -> DeliberationFigures:
    area_q = _area_q(area)
    sessions = Session.objects.filter(area_q, held_on__gte=start, held_on__lte=end)
    topics = Topic.objects.filter(session__in=sessions).values("outcome").annotate(n=Count("id"))
    by_outcome = {row["outcome"]: row["n"] for row in topics}
    return DeliberationFigures(
        sessions_held=sessions.count(),
        topics_raised=sum(by_outcome.values()),
        topics_settled=by_outcome.get(Topic.Outcome.SETTLED, 0),
        topics_decided=by_outcome.get(Topic.Outcome.DECISION, 0),
        topics_ticketed=by_outcome.get(Topic.Outcome.TICKET, 0),
        decisions_overdue=Topic.objects.filter(
            _area_q(area, "session__"),
            outcome=Topic.Outcome.DECISION,
            decision_done_at__isnull=True,
            decision_due__lt=today,
        ).count(),
    )
