"""The working-hours calendar: deadlines count working time, not clock time (DESIGN §4).

Working days are Monday to Friday, minus China's statutory holidays, plus the make-up working days
(调休), both from the chinese-calendar package; an administrator's CalendarDay overrides any day.
Working periods come from settings.DISPATCH_WORKING_HOURS (default 08:00–12:00 and 14:30–18:00,
Asia/Shanghai). Urgent work counts clock hours.

The dashboards call working_hours_between() for thousands of tickets, so each year is computed
once into a prefix sum of working seconds per day; a call is then a few additions and a bisect.
Tables are rebuilt when a CalendarDay changes in this process, and at least every few minutes so
that an override saved in another process is seen.
"""

import bisect
import datetime as dt
import functools
import logging
import threading
import time
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import chinese_calendar
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

log = logging.getLogger(__name__)

DEFAULT_WORKING_HOURS = "08:00-12:00,14:30-18:00"
TABLE_TTL_SECONDS = 300


def _seconds(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    if not (len(minutes) == 2 and 0 <= int(hours) <= 24 and 0 <= int(minutes) < 60):
        raise ValueError(hhmm)
    return int(hours) * 3600 + int(minutes) * 60


@functools.lru_cache(maxsize=8)
def parse_working_hours(value: str) -> tuple[tuple[int, int], ...]:
    """ "08:00-12:00,14:30-18:00" → ((28800, 43200), (52200, 64800)): seconds past midnight.

    Raises ImproperlyConfigured for anything else (overlapping or empty periods included)."""
    try:
        periods = []
        for item in value.split(","):
            start, end = item.strip().split("-")
            periods.append((_seconds(start.strip()), _seconds(end.strip())))
        periods.sort()
        ok = periods and all(a < b for a, b in periods)
        ok = ok and all(prev[1] <= cur[0] for prev, cur in zip(periods, periods[1:], strict=False))
    except ValueError:
        ok = False
    if not ok:
        raise ImproperlyConfigured(
            f"DISPATCH_WORKING_HOURS must look like 08:00-12:00,14:30-18:00, not {value!r}."
        )
    return tuple(periods)


def _periods() -> tuple[tuple[int, int], ...]:
    return parse_working_hours(getattr(settings, "DISPATCH_WORKING_HOURS", DEFAULT_WORKING_HOURS))


def _zone() -> ZoneInfo:
    return _zone_named(getattr(settings, "DISPATCH_TIME_ZONE", "Asia/Shanghai"))


@functools.lru_cache(maxsize=4)
def _zone_named(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@dataclass
class _Year:
    first: dt.date
    workday: list[bool]
    prefix: list[int]  # prefix[i]: working seconds in the year before day i; len = days + 1
    built_at: float


_tables: dict[int, _Year] = {}
_lock = threading.Lock()
_warned_years: set[int] = set()


def invalidate() -> None:
    """Forget every computed year (after an administrator changed the calendar)."""
    with _lock:
        _tables.clear()


def _statutory_workday(day: dt.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        # The installed chinese-calendar has no data for this year (the State Council publishes each
        # year's holidays in the autumn before). Fall back to Monday–Friday; administrators enter
        # that year's holidays and make-up days as CalendarDay overrides until the package catches up.
        if day.year not in _warned_years:
            _warned_years.add(day.year)
            log.warning(
                "chinese-calendar has no holiday data for %s: using weekdays plus CalendarDay "
                "overrides for that year",
                day.year,
            )
        return day.weekday() < 5


def _build_year(year: int) -> _Year:
    from dispatch.models import CalendarDay

    first = dt.date(year, 1, 1)
    days = (dt.date(year + 1, 1, 1) - first).days
    overrides = dict(CalendarDay.objects.filter(date__year=year).values_list("date", "is_workday"))
    per_day = sum(end - start for start, end in _periods())
    workday, prefix = [], [0]
    for i in range(days):
        day = first + dt.timedelta(days=i)
        is_work = overrides.get(day, None)
        if is_work is None:
            is_work = _statutory_workday(day)
        workday.append(is_work)
        prefix.append(prefix[-1] + (per_day if is_work else 0))
    return _Year(first=first, workday=workday, prefix=prefix, built_at=time.monotonic())


def _year(year: int) -> _Year:
    table = _tables.get(year)
    if table is None or time.monotonic() - table.built_at > TABLE_TTL_SECONDS:
        table = _build_year(year)
        with _lock:
            _tables[year] = table
    return table


def is_workday(day: dt.date) -> bool:
    table = _year(day.year)
    return table.workday[(day - table.first).days]


def _worked_in_day(seconds: int) -> int:
    """Working seconds of a working day before `seconds` past midnight."""
    return sum(max(0, min(seconds, end) - start) for start, end in _periods())


def _position(moment: dt.datetime) -> tuple[int, int]:
    """(year, working seconds in that year before `moment`)."""
    local = moment.astimezone(_zone())
    table = _year(local.year)
    index = (local.date() - table.first).days
    elapsed = table.prefix[index]
    if table.workday[index]:
        elapsed += _worked_in_day(local.hour * 3600 + local.minute * 60 + local.second)
    return local.year, elapsed


def working_hours_between(a: dt.datetime, b: dt.datetime) -> float:
    """Working hours from a to b (negative when b is before a)."""
    if b < a:
        return -working_hours_between(b, a)
    year_a, pos_a = _position(a)
    year_b, pos_b = _position(b)
    total = pos_b - pos_a
    for year in range(year_a, year_b):
        total += _year(year).prefix[-1]
    return total / 3600


def _moment_in_day(day: dt.date, worked: int) -> dt.datetime:
    """The moment of a working day when `worked` working seconds have passed (worked > 0)."""
    for start, end in _periods():
        length = end - start
        if worked <= length:
            seconds = start + worked
            return dt.datetime.combine(day, dt.time(0), tzinfo=_zone()) + dt.timedelta(
                seconds=seconds
            )
        worked -= length
    raise ValueError("more working time than the day holds")


def add_working_hours(start: dt.datetime, hours: float, urgent: bool = False) -> dt.datetime:
    """The moment `hours` working hours after `start` (clock hours when urgent)."""
    if urgent:
        return start + dt.timedelta(hours=hours)
    year, target = _position(start)
    target += round(hours * 3600)
    if hours <= 0:
        return start
    for _ in range(200):  # no deadline is two centuries away; stops a bad calendar looping
        table = _year(year)
        if target <= table.prefix[-1]:
            # The first day whose end reaches the target: prefix[i + 1] >= target.
            index = bisect.bisect_left(table.prefix, target, lo=1) - 1
            day = table.first + dt.timedelta(days=index)
            return _moment_in_day(day, target - table.prefix[index])
        target -= table.prefix[-1]
        year += 1
    raise ValueError("no working time found within 200 years")
