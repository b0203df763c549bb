"""The period and scope every figure, page, API call and export is asked for.

Parsed from query parameters (period=today|7d|30d|year|custom with start/end; street, community or
grid by code; channel). Bad input raises FilterError with a message in the user's language.
"""

import calendar as pycal
import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from grids.models import Community, Grid, Street
from grids.selectors import official_street_id
from reports.models import Channel

PERIODS = ("today", "7d", "30d", "year", "custom")
MAX_DAYS = 3 * 366


class FilterError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    key: str
    start: dt.date
    end: dt.date  # inclusive

    @property
    def days(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=i) for i in range((self.end - self.start).days + 1)]

    def split(self) -> tuple[list[dt.date], list[dt.date]]:
        """(first days of the months wholly inside the period, the remaining days)."""
        months, days = [], []
        day = self.start
        while day <= self.end:
            last = day.replace(day=pycal.monthrange(day.year, day.month)[1])
            if day.day == 1 and last <= self.end:
                months.append(day)
                day = last + dt.timedelta(days=1)
            else:
                days.append(day)
                day += dt.timedelta(days=1)
        return months, days

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """Aware datetimes [start of first day, start of the day after the last)."""
        zone = timezone.get_default_timezone()
        return (
            dt.datetime.combine(self.start, dt.time(0), tzinfo=zone),
            dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(0), tzinfo=zone),
        )


@dataclass(frozen=True)
class Scope:
    level: str  # city, street, community, grid
    area_id: int = 0
    code: str = ""
    name: str = ""
    street_id: int = 0  # the 街道 the area lies in (0 for the city)
    channel: str = ""

    @property
    def child_level(self) -> str:
        return {"city": "street", "street": "community", "community": "grid"}.get(
            self.level, "grid"
        )

    def report_filter(self) -> dict:
        """Keyword filter on Report (and TicketFact) for this scope and channel."""
        out = {}
        if self.level != "city":
            out[f"{self.level}_id"] = self.area_id
        if self.channel:
            out["channel"] = self.channel
        return out


def today() -> dt.date:
    return timezone.localdate()


def parse_period(params) -> Period:
    key = params.get("period") or "30d"
    if key not in PERIODS:
        raise FilterError(_("统计周期无效，可选：今日、近7天、近30天、本年、自定义。"))
    end = today()
    if key == "today":
        return Period(key, end, end)
    if key == "7d":
        return Period(key, end - dt.timedelta(days=6), end)
    if key == "30d":
        return Period(key, end - dt.timedelta(days=29), end)
    if key == "year":
        return Period(key, end.replace(month=1, day=1), end)
    try:
        start = dt.date.fromisoformat(params.get("start") or "")
        end = dt.date.fromisoformat(params.get("end") or "")
    except ValueError:
        raise FilterError(_("自定义周期需要开始和结束日期，格式为 YYYY-MM-DD。")) from None
    if end < start:
        raise FilterError(_("结束日期不能早于开始日期。"))
    if (end - start).days >= MAX_DAYS:
        raise FilterError(_("自定义周期最长三年。"))
    return Period(key, start, end)


def parse_scope(params) -> Scope:
    channel = params.get("channel") or ""
    if channel and channel not in Channel.values:
        raise FilterError(_("渠道无效。"))
    grid, community, street = params.get("grid"), params.get("community"), params.get("street")
    if grid:
        found = Grid.objects.select_related("community").filter(code=grid).first()
        if found is None:
            raise FilterError(_("找不到该网格。"))
        return Scope("grid", found.id, found.code, found.name, found.community.street_id, channel)
    if community:
        found = Community.objects.filter(code=community).first()
        if found is None:
            raise FilterError(_("找不到该社区。"))
        return Scope("community", found.id, found.code, found.name, found.street_id, channel)
    if street:
        found = Street.objects.filter(code=street).first()
        if found is None:
            raise FilterError(_("找不到该街道。"))
        return Scope("street", found.id, found.code, found.name, found.id, channel)
    return Scope("city", 0, "", _("义马市"), 0, channel)


def scope_for(user, params) -> Scope:
    """parse_scope narrowed to what the person may see. City officials and dispatchers see the
    city; a 街道 leader (grids.StreetLeader) sees their 街道 by default and is refused any area
    outside it (PermissionDenied)."""
    scope = parse_scope(params)
    street_id = official_street_id(user)
    if street_id is None:
        return scope
    if scope.level == "city":
        street = Street.objects.get(id=street_id)
        return Scope("street", street.id, street.code, street.name, street.id, scope.channel)
    if scope.street_id != street_id:
        raise PermissionDenied(_("只能查看本街道的统计。"))
    return scope
