"""TicketFact rows derived from reports and their tasks (see stats.models.TicketFact).

Derived data written by the refresh, not user writes: the tickets stay the source of truth, and a
fact can be rebuilt from them at any time.
"""

import datetime as dt
from collections import namedtuple

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from dispatch.calendar import working_hours_between
from dispatch.events import Kind as DispatchKind
from dispatch.models import CallBack, Extension, Task
from mediation.models import Case
from mediation.selectors import case_outcomes_by_ticket
from reports.models import ACCEPTED_STATUSES, Category, Event, Rating, Report, Status
from stats.bulk import copy_rows
from stats.models import TicketFact

SATISFIED = (Rating.SATISFIED, Rating.BASICALLY)
SETTLED_CASE = Case.Outcome.SETTLED
GRID = Category.Level.GRID
COMMUNITY = Category.Level.COMMUNITY
REPORT_FIELDS = (
    "id",
    "status",
    "channel",
    "category_id",
    "grid_id",
    "community_id",
    "street_id",
    "submitted_at",
    "dispatched_at",
    "accepted_at",
    "closed_at",
    "deadline",
    "check_due_at",
    "handled_level",
    "dispute_settled",
    "reopened_count",
    "rating",
)


def local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


ReportRow = namedtuple("ReportRow", REPORT_FIELDS)


def dispute_settled(report, *, case_outcome: str | None) -> bool:
    """化解成功 for a closed dispute ticket. With a mediation case the case's outcome decides:
    settled only when its follow-up found the agreement held (the ticket closes from that
    outcome, so it is past its follow-up). Without a case, the 化解成功 flag its checker set at
    closure, as before cases existed."""
    if case_outcome is not None:
        return case_outcome == SETTLED_CASE
    return report.dispute_settled is True


def resident_verdict(rating: str, answer: tuple[bool | None, str] | None) -> tuple[str, bool]:
    """What the resident said of a closed ticket: (satisfaction, solved). Their own rating (the
    latest round's) counts; without one, the latest call-back (回访) that reached them. A rating
    of 满意 or 基本满意 counts as solved. ("", False) when nobody knows."""
    if rating:
        return rating, rating in SATISFIED
    if answer is not None:
        solved, satisfaction = answer
        return satisfaction, bool(solved)
    return "", False


def derive_fact(
    report,
    *,
    kind: str,
    tasks: list[tuple],
    now,
    case_outcome: str | None = None,
    answer: tuple[bool | None, str] | None = None,
    on_spot: bool = False,
) -> dict:
    """The fact of one ticket (TicketFact's column values). `report`: a Report or a ReportRow;
    `tasks`: (status, extended, answered in time) of its tasks (task_rows); `case_outcome`: its
    mediation case's outcome ("" while the case runs), None when it has no case; `answer`: the
    latest call-back that reached the reporter, (solved, satisfaction); `on_spot`: a patrol
    ticket its grid worker handled and closed on the spot (自行处置)."""
    received = report.status in ACCEPTED_STATUSES
    closed = report.status == Status.CLOSED
    due = received and report.deadline is not None and report.status != Status.SUSPENDED
    dispute = received and kind == Category.Kind.DISPUTE
    counted = [t for t in tasks if t[0] != Task.Status.CANCELLED]
    satisfaction, solved = resident_verdict(report.rating, answer)
    check_due_at = report.check_due_at
    check_due = (
        received
        and check_due_at is not None
        and (closed or check_due_at <= (now or timezone.now()))
    )
    return dict(
        report_id=report.id,
        day=local_date(report.submitted_at),
        due_day=local_date(report.deadline) if report.deadline else None,
        street_id=report.street_id,
        community_id=report.community_id,
        grid_id=report.grid_id,
        category_id=report.category_id,
        channel=report.channel,
        status=report.status,
        received=received,
        closed=closed,
        due=due,
        on_time=due and closed and report.closed_at <= report.deadline,
        rated=received and bool(satisfaction),
        satisfied=received and satisfaction in SATISFIED,
        solved=received and bool(satisfaction) and solved,
        on_spot=received and closed and on_spot,
        dispute=dispute,
        settled=dispute and closed and dispute_settled(report, case_outcome=case_outcome),
        closed_in_grid=closed and report.handled_level == GRID,
        closed_in_community=closed and report.handled_level in (GRID, COMMUNITY),
        reopened=received and report.reopened_count > 0,
        check_due=check_due,
        checked_on_time=check_due and closed and report.closed_at <= check_due_at,
        duration_hours=(
            working_hours_between(report.submitted_at, report.closed_at)
            if closed and report.closed_at
            else None
        ),
        response_hours=(
            working_hours_between(report.dispatched_at, report.accepted_at)
            if received and report.dispatched_at and report.accepted_at
            else None
        ),
        tasks=len(counted) if received else 0,
        returned_tasks=sum(1 for t in counted if t[0] == Task.Status.RETURNED) if received else 0,
        extended_tasks=sum(1 for t in counted if t[1] > 0) if received else 0,
        responded_tasks=sum(1 for t in counted if t[2]) if received else 0,
        synced_at=now,
    )


def task_rows(report_ids) -> dict[int, list[tuple[str, int, bool]]]:
    """(status, extended, answered in time) of each report's tasks, for derive_fact.

    延期: a task with an approved extension in its history. 返工 gives a task a fresh limit and
    zeroes its extended hours; the approved Extension row stays, so the task still counts.
    响应: accepted within TASK_RESPONSE_HOURS working hours (clock hours when urgent) of being
    assigned."""
    limit = settings.TASK_RESPONSE_HOURS
    extended_ids = set(
        Extension.objects.filter(
            task__report_id__in=report_ids, status=Extension.Status.APPROVED
        ).values_list("task_id", flat=True)
    )
    tasks: dict[int, list[tuple[str, int, bool]]] = {}
    rows = Task.objects.filter(report_id__in=report_ids).values_list(
        "id", "report_id", "status", "extended_hours", "assigned_at", "accepted_at", "urgent"
    )
    for task_id, report_id, status, hours, assigned, accepted, urgent in rows:
        answered = accepted is not None and (
            (accepted - assigned).total_seconds() <= limit * 3600
            if urgent
            else working_hours_between(assigned, accepted) <= limit
        )
        tasks.setdefault(report_id, []).append(
            (status, hours or int(task_id in extended_ids), answered)
        )
    return tasks


def resident_answers(report_ids) -> dict[int, tuple[bool | None, str]]:
    """The latest call-back that reached each report's reporter: (solved, satisfaction)."""
    answers: dict[int, tuple[bool | None, str]] = {}
    for report_id, solved, satisfaction in (
        CallBack.objects.filter(report_id__in=report_ids, reached=True)
        .order_by("created_at", "id")
        .values_list("report_id", "solved", "satisfaction")
    ):
        answers[report_id] = (solved, satisfaction)
    return answers


def handled_on_spot(report_ids) -> set[int]:
    """Reports a grid worker filed on patrol and closed on the spot (自行处置)."""
    return set(
        Event.objects.filter(
            report_id__in=report_ids, kind=DispatchKind.HANDLED_ON_SPOT
        ).values_list("report_id", flat=True)
    )


def sync_facts(report_ids: list[int]) -> set[dt.date]:
    """Re-derive the facts of these reports; returns every day whose rollups they touch (their
    submission and due days, before and after)."""
    touched: set[dt.date] = set()
    if not report_ids:
        return touched
    kinds = dict(Category.objects.values_list("id", "kind"))
    now = timezone.now()
    tasks = task_rows(report_ids)
    for day, due_day in TicketFact.objects.filter(report_id__in=report_ids).values_list(
        "day", "due_day"
    ):
        touched.update(d for d in (day, due_day) if d)
    outcomes = case_outcomes_by_ticket(report_ids)
    answers = resident_answers(report_ids)
    on_spot = handled_on_spot(report_ids)
    facts = [
        derive_fact(
            r,
            kind=kinds[r.category_id],
            tasks=tasks.get(r.id, []),
            now=now,
            case_outcome=outcomes.get(r.id),
            answer=answers.get(r.id),
            on_spot=r.id in on_spot,
        )
        for r in map(
            ReportRow._make,
            Report.objects.filter(id__in=report_ids).values_list(*REPORT_FIELDS),
        )
    ]
    for fact in facts:
        touched.update(d for d in (fact["day"], fact["due_day"]) if d)
    write_facts(facts, replace=report_ids)
    return touched


def write_facts(facts: list[dict], *, replace=None) -> None:
    with transaction.atomic():
        if replace is not None:
            TicketFact.objects.filter(report_id__in=replace).delete()
        if facts:
            columns = list(facts[0])
            copy_rows(TicketFact, columns, (tuple(f.values()) for f in facts))
