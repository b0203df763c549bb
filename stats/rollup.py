"""Building the precomputed store: TicketFact → Rollup (days and months), Task → UnitRollup.

Each part is recomputed whole from its sources with grouped SQL (the same code on PostgreSQL and
SQLite), so a refresh is idempotent: running it late, twice or concurrently gives the same rows.
The incremental refresh reads reports changed since the last watermark (Report.updated_at),
re-derives their facts and recomputes the days and months they touch.
"""

import calendar as pycal
import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Case, Count, F, FloatField, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Cast, Floor, TruncDate, TruncMonth
from django.utils import timezone

from dispatch.models import Task
from reports.models import Report
from stats.bulk import copy_rows
from stats.facts import sync_facts
from stats.figures import HIST_STEP, MEASURES
from stats.models import RefreshState, Rollup, TicketFact, UnitRollup

DAY, MONTH = Rollup.Granularity.DAY, Rollup.Granularity.MONTH
LEVEL_FIELDS = {
    Rollup.Level.CITY: None,
    Rollup.Level.STREET: "street_id",
    Rollup.Level.COMMUNITY: "community_id",
    Rollup.Level.GRID: "grid_id",
}
# Categories are rolled up for the city and each 街道; a 社区 or grid is small enough to sum its own
# facts for a breakdown by category.
CATEGORY_LEVELS = (Rollup.Level.CITY, Rollup.Level.STREET)
REFRESH_BATCH = 5000


def _flag(name: str):
    return Sum(
        Case(When(**{name: True}, then=Value(1)), default=Value(0), output_field=IntegerField())
    )


COHORT_SUMS = {
    "received": _flag("received"),
    "closed": _flag("closed"),
    "rated": _flag("rated"),
    "satisfied": _flag("satisfied"),
    "disputes": _flag("dispute"),
    "settled": _flag("settled"),
    "closed_in_grid": _flag("closed_in_grid"),
    "closed_in_community": _flag("closed_in_community"),
    "reopened": _flag("reopened"),
    "duration_count": Count("duration_hours"),
    "duration_sum": Sum("duration_hours"),
    "response_count": Count("response_hours"),
    "response_sum": Sum("response_hours"),
    "tasks": Sum("tasks"),
    "returned_tasks": Sum("returned_tasks"),
    "extended_tasks": Sum("extended_tasks"),
    "check_due": _flag("check_due"),
    "checked_on_time": _flag("checked_on_time"),
    "solved": _flag("solved"),
    "on_spot": _flag("on_spot"),
    "responded_tasks": Sum("responded_tasks"),
}
DUE_SUMS = {"due": Count("pk"), "on_time": _flag("on_time")}


def _period_expr(granularity: str, field: str):
    return F(field) if granularity == DAY else TruncMonth(field)


def _grouped(queryset, granularity, date_field, level, with_channel, with_category, sums):
    """Yield (key, sums) for one level / channel / category combination."""
    group = {"p": _period_expr(granularity, date_field)}
    area = LEVEL_FIELDS[level]
    if area:
        group["a"] = F(area)
    if with_channel:
        group["ch"] = F("channel")
    if with_category:
        group["cat"] = F("category_id")
    rows = queryset.values(**group).annotate(**sums).order_by()
    for row in rows:
        start = row["p"]
        if isinstance(start, dt.datetime):
            start = start.date()
        key = (
            granularity,
            start,
            level,
            row.get("a", 0),
            row.get("ch", ""),
            row.get("cat", 0),
        )
        yield key, row


def _combinations():
    for level in LEVEL_FIELDS:
        for with_channel in (False, True):
            for with_category in (False, True):
                if with_category and level not in CATEGORY_LEVELS:
                    continue
                yield level, with_channel, with_category


def compute_rollups(granularity: str, facts_cohort, facts_due) -> dict[tuple, dict]:
    """Every rollup row of one granularity for the given facts (cohort) and due facts."""
    rows: dict[tuple, dict] = defaultdict(lambda: {"hist": {}})
    for level, with_channel, with_category in _combinations():
        for key, sums in _grouped(
            facts_cohort, granularity, "day", level, with_channel, with_category, COHORT_SUMS
        ):
            rows[key].update({k: sums[k] or 0 for k in COHORT_SUMS})
        for key, sums in _grouped(
            facts_due.filter(due=True),
            granularity,
            "due_day",
            level,
            with_channel,
            with_category,
            DUE_SUMS,
        ):
            rows[key].update({k: sums[k] or 0 for k in DUE_SUMS})
        if not with_category:
            # The median's histogram: closed tickets by half-hour of working duration.
            bucketed = facts_cohort.filter(duration_hours__isnull=False).annotate(
                b=Cast(
                    Floor(Cast("duration_hours", FloatField()) / HIST_STEP),
                    IntegerField(),
                )
            )
            group = {"p": _period_expr(granularity, "day"), "b": F("b")}
            if LEVEL_FIELDS[level]:
                group["a"] = F(LEVEL_FIELDS[level])
            if with_channel:
                group["ch"] = F("channel")
            for row in bucketed.values(**group).annotate(n=Count("pk")).order_by():
                start = row["p"].date() if isinstance(row["p"], dt.datetime) else row["p"]
                key = (granularity, start, level, row.get("a", 0), row.get("ch", ""), 0)
                rows[key]["hist"][str(max(row["b"], 0))] = row["n"]
    return rows


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _days_of_months(months: set[dt.date]) -> list[dt.date]:
    days = []
    for month in months:
        n = pycal.monthrange(month.year, month.month)[1]
        days.extend(month + dt.timedelta(days=i) for i in range(n))
    return days


ROLLUP_COLUMNS = [
    "granularity",
    "start",
    "level",
    "area_id",
    "channel",
    "category_id",
    *MEASURES,
    "hist",
]


def _write(granularity: str, starts, rows: dict[tuple, dict]) -> int:
    stale = Rollup.objects.filter(granularity=granularity)
    if starts is not None:
        stale = stale.filter(start__in=list(starts))
    stale.delete()
    return copy_rows(
        Rollup,
        ROLLUP_COLUMNS,
        (
            (
                gran,
                start,
                level,
                area or 0,
                channel or "",
                category or 0,
                *(values.get(m, 0) for m in MEASURES),
                values.get("hist", {}),
            )
            for (gran, start, level, area, channel, category), values in rows.items()
        ),
    )


def _local_day_range(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_default_timezone()
    start = dt.datetime.combine(day, dt.time(0), tzinfo=zone)
    return start, start + dt.timedelta(days=1)


UNIT_COLUMNS = [
    "granularity",
    "start",
    "unit_id",
    "street_id",
    "due",
    "on_time",
    "returned",
    "extended",
]


def _unit_rollups(granularity: str, tasks) -> list[tuple]:
    zone = timezone.get_default_timezone()
    period = (
        TruncDate("deadline", tzinfo=zone)
        if granularity == DAY
        else TruncMonth("deadline", tzinfo=zone)
    )
    live = Q(status__in=[Task.Status.PENDING, Task.Status.ACCEPTED, Task.Status.DONE])
    sums = {
        "due": Count("pk", filter=live),
        "on_time": Count("pk", filter=Q(status=Task.Status.DONE, done_at__lte=F("deadline"))),
        "returned": Count("pk", filter=Q(status=Task.Status.RETURNED)),
        "extended": Count("pk", filter=Q(extended_hours__gt=0) & ~Q(status=Task.Status.CANCELLED)),
    }
    out = []
    for by_street in (False, True):
        group = {"p": period, "u": F("unit_id")}
        if by_street:
            group["s"] = F("report__street_id")
        for row in tasks.values(**group).annotate(**sums).order_by():
            start = row["p"].date() if isinstance(row["p"], dt.datetime) else row["p"]
            out.append(
                (
                    granularity,
                    start,
                    row["u"],
                    row.get("s", 0),
                    row["due"],
                    row["on_time"],
                    row["returned"],
                    row["extended"],
                )
            )
    return out


def _tasks_due_on(days) -> Q:
    q = Q()
    for day in days:
        start, end = _local_day_range(day)
        q |= Q(deadline__gte=start, deadline__lt=end)
    return q


def rebuild_days(days: set[dt.date] | None) -> int:
    """Recompute the day rows of `days` and the month rows of their months (None: everything).

    The figures are computed first and written after, in one short transaction: computing a
    month takes seconds on SQLite, and a transaction there holds the write lock from its start.
    Facts change only through the refresh, which runs one at a time, so what was read is still
    what the rows should say when they are written."""
    if days is None:
        cohort, due = TicketFact.objects.all(), TicketFact.objects.all()
        day_rows = compute_rollups(DAY, cohort, due)
        month_rows = compute_rollups(MONTH, cohort, due)
        unit_rows = _unit_rollups(DAY, Task.objects.all()) + _unit_rollups(
            MONTH, Task.objects.all()
        )
        with transaction.atomic():
            count = _write(DAY, None, day_rows)
            count += _write(MONTH, None, month_rows)
            UnitRollup.objects.all().delete()
            copy_rows(UnitRollup, UNIT_COLUMNS, unit_rows)
        return count
    if not days:
        return 0
    days = set(days)
    months = {_month_start(d) for d in days}
    month_days = _days_of_months(months)
    day_rows = compute_rollups(
        DAY,
        TicketFact.objects.filter(day__in=days),
        TicketFact.objects.filter(due_day__in=days),
    )
    month_rows = compute_rollups(
        MONTH,
        TicketFact.objects.filter(day__in=month_days),
        TicketFact.objects.filter(due_day__in=month_days),
    )
    unit_rows = _unit_rollups(DAY, Task.objects.filter(_tasks_due_on(days))) + _unit_rollups(
        MONTH, Task.objects.filter(_tasks_due_on(month_days))
    )
    with transaction.atomic():
        count = _write(DAY, days, day_rows)
        count += _write(MONTH, months, month_rows)
        UnitRollup.objects.filter(granularity=DAY, start__in=days).delete()
        UnitRollup.objects.filter(granularity=MONTH, start__in=months).delete()
        copy_rows(UnitRollup, UNIT_COLUMNS, unit_rows)
    return count


def rebuild_all(progress=None) -> int:
    """Every fact from the reports, then every rollup: after bulk loads (generate_history)."""
    ids = list(Report.objects.order_by("id").values_list("id", flat=True))
    TicketFact.objects.all().delete()
    for i in range(0, len(ids), REFRESH_BATCH):
        sync_facts(ids[i : i + REFRESH_BATCH])
        if progress:
            progress(min(REFRESH_BATCH, len(ids) - i))
    count = rebuild_days(None)
    RefreshState.objects.update_or_create(
        name="rollups",
        defaults={"watermark": _latest_update(), "refreshed_at": timezone.now()},
    )
    return count


def _latest_update():
    return Report.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()


def refresh_recent() -> int:
    """The incremental refresh: reports updated since the watermark → facts → their days.

    The watermark is taken a little before the newest change read, so a report committed late
    with an earlier updated_at is still picked up next time (re-reading it is harmless).

    Written in short transactions, so that no refresh holds the database's write lock for long
    (on the demo's SQLite a 24-second one made a unit's "accept" fail with "database is locked"):
    the facts of STATS_REFRESH_CHUNK reports per transaction, then the rollups one month per
    transaction, then the watermark. A refresh that dies midway leaves the watermark where it
    was, and the next one redoes the same reports (every step replaces what it writes). At most
    REFRESH_BATCH reports per call; one refresh at a time (a lock in the cache).
    """
    if cache.add(_REFRESH_LOCK, 1, timeout=_REFRESH_LOCK_SECONDS) is False:
        return 0  # another refresh is running; the next beat comes in a minute
    try:
        return _refresh_in_steps()
    finally:
        cache.delete(_REFRESH_LOCK)


_REFRESH_LOCK = "stats:refresh-recent"
_REFRESH_LOCK_SECONDS = 600


def _refresh_in_steps() -> int:
    chunk = settings.STATS_REFRESH_CHUNK
    state, _ = RefreshState.objects.get_or_create(name="rollups")
    touched: set[dt.date] = set()
    newest = None
    done = 0
    after = None  # (updated_at, id) of the last report read
    while True:
        changed = Report.objects.all()
        if after is not None:
            changed = changed.filter(
                Q(updated_at__gt=after[0]) | Q(updated_at=after[0], id__gt=after[1])
            )
        elif state.watermark is not None:
            changed = changed.filter(updated_at__gt=state.watermark - dt.timedelta(seconds=30))
        rows = list(changed.order_by("updated_at", "id").values_list("id", "updated_at")[:chunk])
        if rows:
            with transaction.atomic():
                touched |= sync_facts([r[0] for r in rows])
            newest = rows[-1][1]
        done += len(rows)
        if len(rows) < chunk or done >= REFRESH_BATCH:
            break
        after = (rows[-1][1], rows[-1][0])
    count = 0
    by_month: dict[dt.date, set[dt.date]] = defaultdict(set)
    for day in touched:
        by_month[_month_start(day)].add(day)
    for month in sorted(by_month):
        count += rebuild_days(by_month[month])  # one short transaction per month
    with transaction.atomic():
        state = RefreshState.objects.select_for_update().get(name="rollups")
        if newest is not None and (state.watermark is None or newest > state.watermark):
            state.watermark = newest
        state.refreshed_at = timezone.now()
        state.save(update_fields=["watermark", "refreshed_at"])
    return count
