"""A year's official holiday schedule (放假调休安排), loaded from a small CSV into the calendar.

The State Council publishes each year's holidays and make-up working days in the autumn before;
chinese-calendar learns them only with a new release. Until then an administrator loads the year
from a CSV with three columns, ``date,type,name``::

    date,type,name
    2027-01-01,off,元旦
    2027-02-06,off,春节
    2027-02-14,work,春节调休上班

``type`` is ``off`` (a day off, 休) or ``work`` (a make-up working day, 班). The file must hold one
year only; every line is checked first and nothing is written unless all are valid. Loading
replaces that year's CalendarDay overrides with the file's days and is recorded in the log and,
from the admin, in the admin's history.
"""

import csv
import datetime as dt
import io
import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dispatch import calendar

log = logging.getLogger("yima.dispatch")

OFF = {"off", "休", "holiday", "0"}
WORK = {"work", "班", "workday", "1"}
MAX_LINES = 400


class ScheduleError(ValueError):
    """The file is not a valid schedule; `messages` name each bad line (in the user's language)."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class ScheduleDay:
    date: dt.date
    is_workday: bool
    name: str


def parse_schedule(text: str) -> tuple[int, list[ScheduleDay]]:
    """The year and the days of a schedule CSV; raises ScheduleError listing every problem."""
    errors: list[str] = []
    days: list[ScheduleDay] = []
    text = text.lstrip("\ufeff")  # Excel's UTF-8 BOM
    rows = list(csv.reader(io.StringIO(text)))
    if rows and rows[0] and rows[0][0].strip().lower() in ("date", "日期"):
        rows = rows[1:]
        first_line = 2
    else:
        first_line = 1
    rows = [(n, r) for n, r in enumerate(rows, start=first_line) if any(c.strip() for c in r)]
    if not rows:
        raise ScheduleError([_("文件中没有日期。")])
    if len(rows) > MAX_LINES:
        raise ScheduleError([_("文件行数过多（最多 %(max)s 行）。") % {"max": MAX_LINES}])
    seen: set[dt.date] = set()
    for line, row in rows:
        if len(row) < 2:
            errors.append(_("第 %(line)s 行：应有日期、类型、名称三列。") % {"line": line})
            continue
        raw_date, raw_type = row[0].strip(), row[1].strip().lower()
        name = row[2].strip() if len(row) > 2 else ""
        try:
            day = dt.date.fromisoformat(raw_date)
        except ValueError:
            errors.append(
                _("第 %(line)s 行：日期“%(value)s”格式不对，应为 YYYY-MM-DD。")
                % {"line": line, "value": raw_date[:20]}
            )
            continue
        if raw_type in OFF:
            is_workday = False
        elif raw_type in WORK:
            is_workday = True
        else:
            errors.append(
                _("第 %(line)s 行：类型应为 off（放假）或 work（调休上班）。") % {"line": line}
            )
            continue
        if len(name) > 100:
            errors.append(_("第 %(line)s 行：名称不能超过 100 个字。") % {"line": line})
            continue
        if day in seen:
            errors.append(_("第 %(line)s 行：日期 %(date)s 重复。") % {"line": line, "date": day})
            continue
        seen.add(day)
        days.append(ScheduleDay(day, is_workday, name))
    years = {d.date.year for d in days}
    if len(years) > 1:
        errors.append(
            _("一个文件只能包含一年的安排（文件中有：%(years)s）。")
            % {"years": "、".join(str(y) for y in sorted(years))}
        )
    if errors:
        raise ScheduleError(errors)
    return years.pop(), sorted(days, key=lambda d: d.date)


def load_schedule(text: str, *, actor=None) -> tuple[int, int]:
    """Validate, then replace the year's CalendarDay overrides with the file's days in one
    transaction. Returns (year, days written)."""
    from dispatch.models import CalendarDay

    year, days = parse_schedule(text)
    with transaction.atomic():
        CalendarDay.objects.filter(date__year=year).delete()
        CalendarDay.objects.bulk_create(
            CalendarDay(date=d.date, is_workday=d.is_workday, note=d.name or "") for d in days
        )
    calendar.invalidate()
    log.info(
        "holiday schedule %s loaded: %s days (%s off, %s make-up) by %s",
        year,
        len(days),
        sum(not d.is_workday for d in days),
        sum(d.is_workday for d in days),
        getattr(actor, "phone", None) or "command line",
    )
    return year, len(days)


def schedule_known(year: int) -> bool:
    """Whether deadlines in `year` know its holidays: chinese-calendar has the year, or an
    administrator loaded days off for it."""
    from dispatch.models import CalendarDay

    try:
        calendar.chinese_calendar.is_workday(dt.date(year, 1, 1))
        return True
    except NotImplementedError:
        return CalendarDay.objects.filter(date__year=year, is_workday=False).exists()


def missing_next_year(today: dt.date | None = None) -> int | None:
    """From 1 December, next year when its schedule is still missing (else None)."""
    today = today or timezone.localdate()
    if today.month != 12:
        return None
    return None if schedule_known(today.year + 1) else today.year + 1
