"""Synthetic ticket history for demos and benchmarks (`manage.py generate_history`).

This is bulk data generation, like a fixture loader, and it bypasses the actions on purpose: a
million tickets through submit_report and the dispatch actions would take hours, and none of it is
a user's write (no timeline events, notifications or photos are made). It writes reports and tasks
with bulk inserts, then builds the stats store from them.

The rhythm is made to look real: more tickets in summer and on working days and hours, a fixed mix
of categories, units with their own speed (some reliably late), returned tasks, extensions,
reopened tickets and some unsatisfied residents.
"""

import datetime as dt
import math
import random
import uuid

from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from dispatch.calendar import add_working_hours
from dispatch.models import RoutingRule, Task, Unit
from grids.models import Grid
from reports.models import Category, Channel, Rating, Report, Status
from stats.bulk import copy_rows, next_ids
from stats.rollup import rebuild_all

BATCH = 5000
PER_DAY = 900  # about Yima's volume: a million tickets is three years
CHANNELS = [
    (Channel.WEB, 34),
    (Channel.PATROL, 30),
    (Channel.HOTLINE, 20),
    (Channel.MINI_PROGRAM, 10),
    (Channel.CITY_MANAGEMENT, 3),
    (Channel.EMERGENCY, 2),
    (Channel.THIRD_PARTY, 1),
]
HOURS = [0.2] * 7 + [2, 4, 5, 5, 3, 1, 1, 2, 4, 4, 3, 2, 1.5, 1, 0.6, 0.4, 0.3]  # by hour of day

# Synthetic tickets are numbered H… (real ones YM…), so they are never mistaken for real work.
NUMBER_PREFIX = "H"
CHECK_HOURS = 7.5  # the default on-site check limit (settings.CHECK_LIMIT_HOURS), a working day


class _Quota:
    """A share met exactly over any long run: take() is True for `rate` of the calls, spread
    evenly (so a period's subset lands near the rate too), not left to chance."""

    def __init__(self, rate: float):
        self.rate, self.calls, self.hits = rate, 0, 0

    def take(self) -> bool:
        self.calls += 1
        hit = self.hits + 1 <= self.rate * self.calls + 1e-9
        self.hits += hit
        return hit


class Profile:
    """How the synthetic city behaves. "spread": units with their own speed, some reliably late
    (benchmarks, figures spread out). "yima": calibrated to Yima's published record — 98% of
    demands closed on time, 矛盾纠纷化解率 98.2%, small matters settled inside the grid (grid-level
    categories weighted up, community next), few unsatisfied residents."""

    def __init__(self, name: str):
        if name not in PROFILES:
            raise ValueError(f"unknown profile {name!r}: choose from {', '.join(PROFILES)}")
        self.name = name
        self.calibrated = name == "yima"
        self.late = _Quota(0.02)
        self.settled = _Quota(0.982)

    def category_weight(self, category, rng) -> float:
        weight = rng.lognormvariate(0, 0.8)
        if self.calibrated:
            weight *= {Category.Level.GRID: 6, Category.Level.COMMUNITY: 3}.get(
                category.handling_level, 1
            )
        return weight

    def ratings(self) -> list[int]:
        return [85, 13, 2] if self.calibrated else [76, 17, 7]


PROFILES = ("spread", "yima")


def has_history() -> bool:
    from reports.models import Report

    return Report.objects.filter(number__startswith=NUMBER_PREFIX).exists()


class _Routes:
    """Lead and cooperating units per category and grid, from the routing data."""

    def __init__(self):
        self.rules = {}
        for rule in RoutingRule.objects.filter(
            street=None, community=None, grid=None, is_active=True
        ).prefetch_related("cooperating_units"):
            self.rules[rule.category_id] = (
                rule.lead_unit_id,
                [u.id for u in rule.cooperating_units.all()],
            )
        self.grid_team = dict(Unit.objects.filter(grid__isnull=False).values_list("grid_id", "id"))
        self.committee = dict(
            Unit.objects.filter(community__isnull=False).values_list("community_id", "id")
        )
        self.fallback = Unit.objects.filter(kind=Unit.Kind.GOVERNMENT).values_list("id", flat=True)
        self.fallback = list(self.fallback)[:1]
        self.units = list(Unit.objects.values_list("id", flat=True))

    def department(self, category) -> tuple[int | None, list[int]]:
        rule = self.rules.get(category.id) or self.rules.get(category.parent_id)
        if rule:
            return rule
        return (self.fallback[0] if self.fallback else None), []


def _day_weights(days: list[dt.date]) -> list[float]:
    weights = []
    for day in days:
        season = 1 + 0.35 * math.sin((day.timetuple().tm_yday - 100) / 365 * 2 * math.pi)
        weekly = 0.55 if day.weekday() >= 5 else 1.0
        weights.append(season * weekly)
    return weights


def generate_history(
    *, reports: int, seed: int = 1, end=None, progress: bool = True, profile: str = "spread"
) -> int:
    """Create `reports` tickets ending at `end` (default now) with their tasks, then the store.
    `profile`: "spread" or "yima" (see Profile)."""
    behaviour = Profile(profile)
    rng = random.Random(seed)
    now = end or timezone.now()
    zone = timezone.get_default_timezone()
    span = max(60, min(3 * 366, math.ceil(reports / PER_DAY)))
    last_day = timezone.localtime(now).date()
    days = [last_day - dt.timedelta(days=span - 1 - i) for i in range(span)]
    day_weights = _day_weights(days)
    grids = list(Grid.objects.select_related("community").order_by("id"))
    if not grids:
        raise ValueError("no grids: run seed_yima first")
    for grid in grids:
        grid.point = grid.inside_point()  # once per grid, not per ticket
    grid_weights = [rng.lognormvariate(0, 0.5) for _ in grids]
    # The configured problems (Yima's defaults give them a level): not every rare national matter.
    leaves = list(Category.objects.reportable().exclude(handling_level="").order_by("code"))
    category_weights = [behaviour.category_weight(c, rng) for c in leaves]
    routes = _Routes()
    unit_ids = list(Unit.objects.values_list("id", flat=True))
    speed = {u: rng.lognormvariate(-0.4, 0.45) for u in unit_ids}  # fraction of the time limit used
    channels, channel_weights = zip(*CHANNELS, strict=True)
    bar = tqdm(total=reports, unit="ticket", disable=not progress, desc="history")
    made = 0
    sequence: dict[dt.date, int] = {}
    while made < reports:
        n = min(BATCH, reports - made)
        picked_days = rng.choices(days, weights=day_weights, k=n)
        picked_hours = rng.choices(range(24), weights=HOURS, k=n)
        picked_grids = rng.choices(grids, weights=grid_weights, k=n)
        picked_categories = rng.choices(leaves, weights=category_weights, k=n)
        picked_channels = rng.choices(channels, weights=channel_weights, k=n)
        batch_reports, batch_tasks = [], []
        for i in range(n):
            day = picked_days[i]
            submitted = dt.datetime.combine(
                day, dt.time(picked_hours[i], rng.randrange(60), rng.randrange(60)), tzinfo=zone
            )
            if submitted > now:
                submitted = now - dt.timedelta(minutes=rng.randrange(1, 600))
            grid = picked_grids[i]
            category = picked_categories[i]
            sequence[day] = sequence.get(day, 0) + 1
            report, tasks = _ticket(
                rng,
                now=now,
                submitted=submitted,
                grid=grid,
                category=category,
                channel=picked_channels[i],
                number=f"{NUMBER_PREFIX}{day:%Y%m%d}{seed % 100:02d}{sequence[day]:06d}",
                routes=routes,
                speed=speed,
                profile=behaviour,
            )
            batch_reports.append(report)
            batch_tasks.append(tasks)
        _write_batch(batch_reports, batch_tasks, now=now)
        made += n
        bar.update(n)
    bar.close()
    facts_bar = tqdm(total=Report.objects.count(), unit="fact", disable=not progress, desc="facts")
    rebuild_all(progress=facts_bar.update)
    facts_bar.close()
    return made


REPORT_DEFAULTS = {
    "category_unsure": False,
    "description": "",
    "address": "",
    "reporter_id": None,
    "contact_name": "",
    "contact_phone": "",
    "contact_email": "",
    "hide_identity": False,
    "idempotency_key": None,
    "external_id": "",
    "api_key_id": None,
    "supporter_count": 0,
    "merged_into_id": None,
    "dispatched_at": None,
    "accepted_at": None,
    "handled_at": None,
    "closed_at": None,
    "deadline": None,
    "overdue_at": None,
    "check_remind_due_at": None,
    "check_due_at": None,
    "check_reminded_at": None,
    "check_overdue_at": None,
    "handled_level": "",
    "dispute_settled": None,
    "reopened_count": 0,
    "rating": "",
    "rating_comment": "",
    "rated_at": None,
}
TASK_DEFAULTS = {
    "rule_id": None,
    "parent_id": None,
    "accepted_at": None,
    "accepted_by_id": None,
    "done_at": None,
    "done_by_id": None,
    "closed_at": None,
    "note": "",
    "reminded_at": None,
    "overdue_at": None,
    "official_listed_at": None,
}


def _write_batch(reports: list[dict], tasks: list[list[dict]], *, now) -> None:
    """One batch in one transaction: COPY on PostgreSQL (ids reserved first), else bulk_create."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            ids = next_ids(Report, len(reports))
            report_rows = []
            for report_id, report in zip(ids, reports, strict=True):
                row = {**REPORT_DEFAULTS, **report, "id": report_id}
                row["tracking_token"] = uuid.uuid4().hex
                row["updated_at"] = now
                report_rows.append(row)
            columns = list(report_rows[0])
            copy_rows(Report, columns, (tuple(r[c] for c in columns) for r in report_rows))
        else:
            objects = [Report(**{**REPORT_DEFAULTS, **r}) for r in reports]
            Report.objects.bulk_create(objects, batch_size=1000)
            ids = [o.id for o in objects]
        task_rows = []
        for report_id, report_tasks in zip(ids, tasks, strict=True):
            for task in report_tasks:
                task_rows.append({**TASK_DEFAULTS, **task, "report_id": report_id})
        if task_rows:
            columns = list(task_rows[0])
            copy_rows(Task, columns, (tuple(t[c] for c in columns) for t in task_rows))


def _task(
    unit_id,
    role,
    level,
    hours,
    urgent,
    assigned,
    *,
    status,
    accepted=None,
    done=None,
    extended=0,
    closed=None,
    deadline=None,
):
    if deadline is None:
        deadline = add_working_hours(assigned, hours + extended, urgent)
    # Synthetic data: the reminder and officials' times as clock fractions of the span (close
    # enough for history, and it halves the calendar work of a million tickets).
    span = deadline - assigned
    return dict(
        unit_id=unit_id,
        role=role,
        level=level,
        status=status,
        hours=hours,
        urgent=urgent,
        extended_hours=extended,
        assigned_at=assigned,
        remind_due_at=assigned + span * 0.75,
        deadline=deadline,
        official_due_at=assigned + span * 2,
        accepted_at=accepted,
        done_at=done,
        closed_at=closed,
    )


class _Row(dict):
    """A row being built: attribute access for readability, a dict for the writer."""

    __getattr__ = dict.get

    def __setattr__(self, name, value):
        self[name] = value


def _ticket(rng, *, now, submitted, grid, category, channel, number, routes, speed, profile):
    """One ticket and its tasks, with milestones that follow each other in working time."""
    report = _Row(
        number=number,
        channel=channel,
        category_id=category.id,
        lon=grid.point[0],
        lat=grid.point[1],
        grid_id=grid.id,
        community_id=grid.community_id,
        street_id=grid.community.street_id,
        submitted_at=submitted,
        status=Status.SUBMITTED,
    )
    roll = rng.random()
    if roll < 0.03:
        report.status = Status.REJECTED
        report.closed_at = submitted + dt.timedelta(hours=rng.uniform(0.2, 8))
        return report, []
    if roll < 0.05:
        report.status = Status.DUPLICATE
        return report, []
    level = category.handling_level or Category.Level.DEPARTMENT
    urgent = category.urgent
    hours = category.sla_working_hours or 24
    dispatched = submitted + dt.timedelta(minutes=rng.uniform(1, 90))
    if dispatched > now:
        return report, []
    report.dispatched_at = dispatched
    # Who leads: the grid's own team, the community committee, or the department of the rule.
    coop = []
    if level == Category.Level.GRID:
        lead = routes.grid_team.get(grid.id)
    elif level == Category.Level.COMMUNITY:
        lead = routes.committee.get(grid.community_id)
    else:
        lead, coop = routes.department(category)
    if lead is None:
        return report, []
    report.handled_level = level
    tasks = []
    if rng.random() < 0.03:  # misrouted first: a unit returns it, the dispatcher re-routes
        wrong = rng.choice(routes.units)
        returned_at = dispatched + dt.timedelta(hours=rng.uniform(0.5, 6))
        tasks.append(
            _task(
                wrong,
                "lead",
                level,
                hours,
                urgent,
                dispatched,
                status="returned",
                closed=returned_at,
            )
        )
        dispatched = returned_at + dt.timedelta(minutes=rng.uniform(5, 120))
    extended = 8 if rng.random() < 0.05 else 0
    if profile.calibrated:
        # Late or not is decided first (an exact 2% share), then times that agree with it:
        # closed within the limit (with its extension) or after it.
        total = hours + extended
        late = profile.late.take()
        done_share = rng.uniform(1.02, 1.6) if late else rng.uniform(0.1, 0.8)
        close_share = done_share + rng.uniform(0.02, 0.3 if late else min(0.18, 0.98 - done_share))
        response = min(rng.expovariate(2), total * done_share / 2)
        accepted = add_working_hours(dispatched, response, urgent)
        done = add_working_hours(dispatched, total * done_share, urgent)
        closed = add_working_hours(dispatched, total * close_share, urgent)
    else:
        pace = speed.get(lead, 0.7) * rng.lognormvariate(0, 0.5)
        response = rng.expovariate(1 / (0.5 + 2 * speed.get(lead, 0.7)))
        accepted = add_working_hours(dispatched, response, urgent)
        done = add_working_hours(dispatched, max(response + 0.1, hours * pace), urgent)
        closed = done + dt.timedelta(hours=rng.uniform(0.5, 20))
    deadline = add_working_hours(dispatched, hours + extended, urgent)
    report.deadline = deadline
    if accepted > now:
        report.status = Status.DISPATCHED
        tasks.append(
            _task(
                lead,
                "lead",
                level,
                hours,
                urgent,
                dispatched,
                status="pending",
                extended=extended,
                deadline=deadline,
            )
        )
    elif done > now:
        report.status = Status.PROCESSING
        report.accepted_at = accepted
        tasks.append(
            _task(
                lead,
                "lead",
                level,
                hours,
                urgent,
                dispatched,
                status="accepted",
                accepted=accepted,
                extended=extended,
                deadline=deadline,
            )
        )
    else:
        report.accepted_at = accepted
        report.handled_at = done
        report.check_remind_due_at = add_working_hours(done, CHECK_HOURS * 0.75)
        report.check_due_at = add_working_hours(done, CHECK_HOURS)
        report.status = Status.HANDLED if closed > now else Status.CLOSED
        tasks.append(
            _task(
                lead,
                "lead",
                level,
                hours,
                urgent,
                dispatched,
                status="done",
                accepted=accepted,
                done=done,
                extended=extended,
                deadline=deadline,
            )
        )
        if level == Category.Level.GRID and rng.random() < 0.12:
            report.handled_level = Category.Level.COMMUNITY  # 上报 to the community committee
    coop_deadline = add_working_hours(dispatched, hours, urgent) if coop else None
    for unit in coop:
        tasks.append(
            _task(
                unit,
                "cooperating",
                Category.Level.DEPARTMENT,
                hours,
                urgent,
                dispatched,
                status="done" if report.handled_at else "accepted",
                accepted=accepted,
                done=report.handled_at,
                deadline=coop_deadline,
            )
        )
    if report.status == Status.CLOSED:
        report.closed_at = closed
        dispute = category.kind == Category.Kind.DISPUTE
        if rng.random() < 0.01 and not (profile.calibrated and dispute):
            report.status = Status.SUSPENDED
            report.closed_at = None
        if category.kind == Category.Kind.DISPUTE:
            report.dispute_settled = (
                profile.settled.take() if profile.calibrated else rng.random() < 0.95
            )
        if report.status == Status.CLOSED and rng.random() < 0.65:
            report.rating = rng.choices(
                [Rating.SATISFIED, Rating.BASICALLY, Rating.UNSATISFIED], weights=profile.ratings()
            )[0]
            report.rated_at = min(now, closed + dt.timedelta(hours=rng.uniform(1, 72)))
            if report.rating == Rating.UNSATISFIED and rng.random() < 0.4:
                report.reopened_count = 1
    return report, tasks
