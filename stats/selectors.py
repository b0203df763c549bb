"""Reads of the stats app: figures, breakdowns, trend, map, ranking, overdue list and exports.

Figures come from the precomputed store (stats.models.Rollup): a period is read as whole months
plus the remaining days, so a year is a dozen month rows plus a few day rows, whatever the number
of tickets. `figures_from_tickets` computes the same figures straight from the tickets; it is the
reference the store is tested against.
"""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from dispatch.models import OPEN_TASK_STATUSES, Task, Unit
from grids.models import Community, Grid, Street
from gridwork import selectors as gridwork_selectors
from mediation import selectors as mediation_selectors
from mediation.selectors import case_outcomes_by_ticket
from reports.models import ACCEPTED_STATUSES, OPEN_STATUSES, Category, Channel, Report, Status
from stats.facts import derive_fact, handled_on_spot, resident_answers, task_rows
from stats.figures import MEASURES, Figures, exact_median, median_from_hist
from stats.filters import Period, Scope, today
from stats.models import Rollup, TicketFact, UnitRollup
from stats.rollup import COHORT_SUMS, DUE_SUMS

DAY, MONTH = Rollup.Granularity.DAY, Rollup.Granularity.MONTH


def can_view_dashboard(user) -> bool:
    """Officials and the dispatch centre read the figures; nobody else."""
    return bool(user.is_authenticated and (user.is_official or user.is_dispatcher))


def _period_q(period: Period) -> Q:
    months, days = period.split()
    parts = []
    if months:
        parts.append(Q(granularity=MONTH, start__in=months))
    if days:
        parts.append(Q(granularity=DAY, start__in=days))
    q = parts[0]
    for part in parts[1:]:
        q |= part
    return q


def _rows(period: Period, *, level, area_id=None, channel="", category_id=0):
    qs = Rollup.objects.filter(_period_q(period), level=level)
    if area_id is not None:
        qs = qs.filter(area_id=area_id)
    if channel is not None:
        qs = qs.filter(channel=channel)
    if category_id is not None:
        qs = qs.filter(category_id=category_id)
    return qs


# The database adds the rows up; Python only sees one row per group.
SUMS = {m: Sum(m) for m in MEASURES}


def _grouped(rows, field: str) -> dict:
    return {row[field]: _figures(row) for row in rows.values(field).annotate(**SUMS).order_by()}


def _figures(row: dict) -> Figures:
    figures = Figures()
    figures.add(row)
    return figures


def figures(period: Period, scope: Scope) -> Figures:
    """Every figure of DESIGN §5 for the period and scope, from the store."""
    rows = _rows(period, level=scope.level, area_id=scope.area_id, channel=scope.channel)
    # A few dozen rows (months and days): one query, summed here with their histograms.
    result = Figures()
    hist: dict[str, int] = defaultdict(int)
    for row in rows.values(*MEASURES, "hist"):
        result.add(row)
        for bucket, n in row["hist"].items():
            hist[bucket] += n
    result.median_duration = median_from_hist(hist)
    return result


def by_channel(period: Period, scope: Scope) -> list[tuple[str, Figures]]:
    # An explicit list (not "channel ≠ ''") lets the index seek each channel's period.
    rows = _rows(period, level=scope.level, area_id=scope.area_id, channel=None).filter(
        channel__in=Channel.values
    )
    return sorted(_grouped(rows, "channel").items(), key=lambda item: -item[1].received)


def by_category(period: Period, scope: Scope) -> list[tuple[Category, Figures]]:
    """Figures per category. A 社区 or grid sums its own facts (a few thousand a year)."""
    if scope.level in ("city", "street"):
        rows = _rows(
            period,
            level=scope.level,
            area_id=scope.area_id,
            channel=scope.channel,
            category_id=None,
        ).exclude(category_id=0)
        grouped = _grouped(rows, "category_id")
    else:
        grouped = defaultdict(Figures)
        start, end = period.start, period.end
        facts = TicketFact.objects.filter(**scope.report_filter())
        for row in (
            facts.filter(day__gte=start, day__lte=end)
            .values("category_id")
            .annotate(**COHORT_SUMS)
            .order_by()
        ):
            grouped[row["category_id"]].add(row)
        for row in (
            facts.filter(due=True, due_day__gte=start, due_day__lte=end)
            .values("category_id")
            .annotate(**DUE_SUMS)
            .order_by()
        ):
            grouped[row["category_id"]].add(row)
    categories = Category.objects.in_bulk(list(grouped))
    return sorted(
        ((categories[c], f) for c, f in grouped.items() if c in categories),
        key=lambda item: (-item[1].received, item[0].code),
    )


def trend(period: Period, scope: Scope, *, by: str = "day") -> list[dict]:
    """受理量, 办结 and 按期办结率 per day (or per ISO week, labelled by its Monday)."""
    rows = Rollup.objects.filter(
        granularity=DAY,
        start__gte=period.start,
        start__lte=period.end,
        level=scope.level,
        area_id=scope.area_id,
        channel=scope.channel,
        category_id=0,
    ).values("start", "received", "closed", "due", "on_time")
    buckets: dict[dt.date, Figures] = {}
    for day in period.days:
        key = day - dt.timedelta(days=day.weekday()) if by == "week" else day
        buckets.setdefault(key, Figures())
    for row in rows:
        day = row["start"]
        key = day - dt.timedelta(days=day.weekday()) if by == "week" else day
        buckets[key].add({m: row.get(m, 0) for m in ("received", "closed", "due", "on_time")})
    return [
        {
            "date": key.isoformat(),
            "received": f.received,
            "closed": f.closed,
            "on_time_rate": f.on_time_rate,
        }
        for key, f in sorted(buckets.items())
    ]


def _areas(level: str, parent: Scope):
    if level == "street":
        return Street.objects.all()
    if level == "community":
        qs = Community.objects.all()
        return qs.filter(street_id=parent.area_id) if parent.level == "street" else qs
    qs = Grid.objects.all()
    if parent.level == "community":
        return qs.filter(community_id=parent.area_id)
    if parent.level == "grid":
        return qs.filter(id=parent.area_id)
    return qs


def map_areas(period: Period, scope: Scope) -> dict:
    """The next level down inside the scope (街道 → 社区 → 网格), each with its figures, and for
    every grid the area it is shaded with, so the map colours grids and drills down on click."""
    level = scope.child_level
    areas = {a.id: a for a in _areas(level, scope)}
    rows = _rows(period, level=level, channel=scope.channel).filter(area_id__in=list(areas))
    sums = _grouped(rows, "area_id")
    grids = Grid.objects.all()
    if scope.level == "street":
        grids = grids.filter(community__street_id=scope.area_id)
    elif scope.level == "community":
        grids = grids.filter(community_id=scope.area_id)
    elif scope.level == "grid":
        grids = grids.filter(id=scope.area_id)
    column = {"street": "community__street__code", "community": "community__code", "grid": "code"}
    area_of_grid = dict(grids.values_list("code", column[level]))
    empty = Figures()
    return {
        "level": level,
        "areas": [
            {
                "code": a.code,
                "name": a.name,
                "received": sums.get(a.id, empty).received,
                "closure_rate": sums.get(a.id, empty).closure_rate,
                "on_time_rate": sums.get(a.id, empty).on_time_rate,
            }
            for a in sorted(areas.values(), key=lambda a: a.code)
        ],
        "grids": area_of_grid,
    }


def ranking(period: Period, scope: Scope, *, size: int = 10) -> dict:
    """红黑榜: units by 按期办结率 of their tasks due in the period (ties: more tasks first).
    Units need at least one task due to be ranked. The channel filter does not apply."""
    if scope.level in ("city", "street"):
        rows = UnitRollup.objects.filter(_period_q(period), street_id=scope.street_id)
        totals = rows.values("unit_id").annotate(d=Sum("due"), o=Sum("on_time")).order_by()
        pairs = [(r["unit_id"], r["d"], r["o"]) for r in totals]
    else:
        start, end = period.bounds()
        tasks = Task.objects.filter(
            deadline__gte=start,
            deadline__lt=end,
            status__in=[Task.Status.PENDING, Task.Status.ACCEPTED, Task.Status.DONE],
            **{f"report__{k}": v for k, v in scope.report_filter().items() if k != "channel"},
        )
        totals = (
            tasks.values("unit_id")
            .annotate(
                d=Count("pk"),
                o=Count("pk", filter=Q(status=Task.Status.DONE, done_at__lte=F("deadline"))),
            )
            .order_by()
        )
        pairs = [(r["unit_id"], r["d"], r["o"]) for r in totals]
    units = Unit.objects.in_bulk([p[0] for p in pairs])
    ranked = [
        {
            "unit": units[u].name,
            "code": units[u].code,
            "due": d,
            "on_time": o,
            "on_time_rate": round(o / d, 4),
        }
        for u, d, o in pairs
        if d and u in units
    ]
    ranked.sort(key=lambda r: (-r["on_time_rate"], -r["due"], r["code"]))
    red = ranked[:size]
    black = sorted(ranked, key=lambda r: (r["on_time_rate"], -r["due"], r["code"]))[:size]
    return {"red": red, "black": black}


def overdue(scope: Scope, *, limit: int = 200) -> list[dict]:
    """超期件: open tickets past their deadline, oldest first, with who holds them and since when."""
    now = timezone.now()
    statuses = dict(Status.choices)
    reports = list(
        Report.objects.filter(status__in=OPEN_STATUSES, deadline__lt=now, **scope.report_filter())
        .order_by("deadline")
        .values(
            "id", "number", "status", "deadline", "dispatched_at", "category__name", "grid__name"
        )[:limit]
    )
    holders = defaultdict(list)
    for report_id, unit, assigned_at in (
        Task.objects.filter(report_id__in=[r["id"] for r in reports], status__in=OPEN_TASK_STATUSES)
        .order_by("assigned_at")
        .values_list("report_id", "unit__name", "assigned_at")
    ):
        holders[report_id].append((unit, assigned_at))
    out = []
    for report in reports:
        tasks = holders.get(report["id"], [])
        held_since = min((t[1] for t in tasks), default=report["dispatched_at"])
        out.append(
            {
                "number": report["number"],
                "category": report["category__name"],
                "grid": report["grid__name"],
                "status": str(statuses.get(report["status"], report["status"])),
                "deadline": report["deadline"],
                "overdue_hours": round((now - report["deadline"]).total_seconds() / 3600, 1),
                "holders": [t[0] for t in tasks],
                "held_hours": (
                    round((now - held_since).total_seconds() / 3600, 1) if held_since else None
                ),
            }
        )
    return out


def figures_from_tickets(period: Period, scope: Scope) -> Figures:
    """The same figures computed straight from reports and tasks, without the store."""
    start, end = period.bounds()
    base = Report.objects.filter(**scope.report_filter())
    kinds = dict(Category.objects.values_list("id", "kind"))
    result = Figures()
    durations = []

    # One query for every mediated ticket in scope, not one per ticket.
    outcomes = case_outcomes_by_ticket(
        base.filter(category__kind=Category.Kind.DISPUTE).values_list("id", flat=True)
    )

    cohort = list(base.filter(submitted_at__gte=start, submitted_at__lt=end))
    ids = [r.id for r in cohort]
    # One query each for the cohort's tasks, call-back answers and on-the-spot closures.
    tasks, answers, on_spot = task_rows(ids), resident_answers(ids), handled_on_spot(ids)

    for report in cohort:
        f = derive_fact(
            report,
            kind=kinds[report.category_id],
            tasks=tasks.get(report.id, []),
            now=None,
            case_outcome=outcomes.get(report.id),
            answer=answers.get(report.id),
            on_spot=report.id in on_spot,
        )
        result.received += f["received"]
        result.closed += f["closed"]
        result.rated += f["rated"]
        result.satisfied += f["satisfied"]
        result.disputes += f["dispute"]
        result.settled += f["settled"]
        result.closed_in_grid += f["closed_in_grid"]
        result.closed_in_community += f["closed_in_community"]
        result.reopened += f["reopened"]
        result.tasks += f["tasks"]
        result.returned_tasks += f["returned_tasks"]
        result.extended_tasks += f["extended_tasks"]
        result.check_due += f["check_due"]
        result.checked_on_time += f["checked_on_time"]
        result.solved += f["solved"]
        result.on_spot += f["on_spot"]
        result.responded_tasks += f["responded_tasks"]
        if f["duration_hours"] is not None:
            result.duration_count += 1
            result.duration_sum += f["duration_hours"]
            durations.append(f["duration_hours"])
        if f["response_hours"] is not None:
            result.response_count += 1
            result.response_sum += f["response_hours"]
    for report in base.filter(
        deadline__gte=start, deadline__lt=end, status__in=ACCEPTED_STATUSES
    ).exclude(status="suspended"):
        result.due += 1
        result.on_time += bool(report.status == "closed" and report.closed_at <= report.deadline)
    result.median_duration = exact_median(durations)
    return result


def ticket_rows(period: Period, scope: Scope, *, chunk: int = 2000):
    """The tickets submitted in the period, one dict each, with every milestone and who holds
    them now; streamed in chunks so a million rows never sit in memory."""
    start, end = period.bounds()
    ids = (
        Report.objects.filter(
            submitted_at__gte=start, submitted_at__lt=end, **scope.report_filter()
        )
        .order_by("submitted_at", "id")
        .values_list("id", flat=True)
    )
    batch = []
    for report_id in ids.iterator(chunk_size=chunk):
        batch.append(report_id)
        if len(batch) == chunk:
            yield from _ticket_chunk(batch)
            batch = []
    if batch:
        yield from _ticket_chunk(batch)


def _ticket_chunk(ids):
    holders = defaultdict(list)
    for report_id, unit in Task.objects.filter(
        report_id__in=ids, status__in=OPEN_TASK_STATUSES
    ).values_list("report_id", "unit__name"):
        holders[report_id].append(unit)
    reports = Report.objects.filter(id__in=ids).select_related(
        "category", "street", "community", "grid"
    )
    for r in sorted(reports, key=lambda r: (r.submitted_at, r.id)):
        yield {
            "number": r.number,
            "category_code": r.category.code,
            "catalogue": r.category.get_catalogue_display(),
            "category": r.category.name,
            "kind": r.category.get_kind_display(),
            "channel": r.get_channel_display(),
            "status": r.get_status_display(),
            "street": r.street.name,
            "community": r.community.name,
            "grid": r.grid.name,
            "submitted_at": r.submitted_at,
            "dispatched_at": r.dispatched_at,
            "accepted_at": r.accepted_at,
            "handled_at": r.handled_at,
            "closed_at": r.closed_at,
            "deadline": r.deadline,
            "rated_at": r.rated_at,
            "rating": r.get_rating_display() if r.rating else "",
            "holders": "、".join(holders.get(r.id, [])),
        }


def _area(scope: Scope) -> dict:
    return {} if scope.level == "city" else {f"{scope.level}_id": scope.area_id}


def mediation_figures(period: Period, scope: Scope) -> dict:
    """议事 and 调解 for the dashboard, its API and exports (defined in mediation.selectors;
    the channel filter does not apply to them)."""
    args = {"start": period.start, "end": period.end, "today": today(), "area": _area(scope)}
    cases = mediation_selectors.case_figures(**args)
    return {
        "cases": cases.as_dict(),
        "deliberation": mediation_selectors.deliberation_figures(**args).as_dict(),
        "by": mediation_selectors.case_breakdown(**args),
    }


def minqing_figures(period: Period, scope: Scope) -> dict:
    """民情 (visits, patrols, items, 民生实事, coverage, volunteer hours) for the dashboard, its API
    and exports; defined in gridwork.selectors.MinqingFigures. The channel filter does not apply."""
    return gridwork_selectors.minqing_figures(
        start=period.start, end=period.end, area=_area(scope)
    ).as_dict()
