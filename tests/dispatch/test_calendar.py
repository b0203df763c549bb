"""Working-hours deadlines: weekends, statutory holidays and their make-up days, overrides."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured

from dispatch import calendar
from dispatch.models import CalendarDay

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hh=0, mm=0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=SH)


@pytest.fixture(autouse=True)
def fresh_tables():
    calendar.invalidate()
    yield
    calendar.invalidate()


def test_deadline_on_friday_afternoon_continues_on_monday_morning():
    assert calendar.add_working_hours(at(2025, 3, 7, 16), 4) == at(2025, 3, 10, 10)
    assert calendar.working_hours_between(at(2025, 3, 7, 16), at(2025, 3, 10, 10)) == 4


def test_lunch_break_and_evening_do_not_count():
    assert calendar.add_working_hours(at(2025, 3, 10, 11), 2) == at(2025, 3, 10, 15, 30)
    assert calendar.add_working_hours(at(2025, 3, 10, 8), 4) == at(2025, 3, 10, 12)
    assert calendar.add_working_hours(at(2025, 3, 10, 20), 1) == at(2025, 3, 11, 9)
    assert calendar.working_hours_between(at(2025, 3, 10, 0), at(2025, 3, 11, 0)) == 7.5


def test_spring_festival_is_skipped_and_its_sunday_make_up_day_counts():
    # 2025: holiday 28 Jan – 4 Feb; Sunday 26 Jan and Saturday 8 Feb are working days.
    assert calendar.add_working_hours(at(2025, 1, 25, 10), 8) == at(2025, 1, 27, 8, 30)
    assert calendar.add_working_hours(at(2025, 1, 27, 17), 2) == at(2025, 2, 5, 9)
    assert calendar.is_workday(dt.date(2025, 2, 8))
    assert calendar.working_hours_between(at(2025, 1, 27, 18), at(2025, 2, 5, 8)) == 0


def test_national_day_holiday_is_skipped_and_make_up_days_count():
    # 2025: holiday 1–8 Oct; Sunday 28 Sep and Saturday 11 Oct are working days.
    assert calendar.add_working_hours(at(2025, 9, 30, 17), 4) == at(2025, 10, 9, 11)
    assert calendar.add_working_hours(at(2025, 9, 27, 12), 1) == at(2025, 9, 28, 9)
    assert calendar.is_workday(dt.date(2025, 10, 11))
    assert not calendar.is_workday(dt.date(2025, 10, 8))


def test_deadline_crosses_the_new_year_holiday():
    # 2026: 1–3 Jan off, Sunday 4 Jan is a working day.
    assert calendar.add_working_hours(at(2025, 12, 31, 17), 8) == at(2026, 1, 4, 17, 30)
    assert calendar.working_hours_between(at(2025, 12, 31, 17), at(2026, 1, 4, 17, 30)) == 8


def test_urgent_work_counts_clock_hours_through_the_weekend():
    start = at(2025, 3, 8, 10)  # a Saturday
    assert calendar.add_working_hours(start, 2, urgent=True) == at(2025, 3, 8, 12)


def test_administrator_override_makes_a_monday_a_holiday():
    CalendarDay.objects.create(date=dt.date(2025, 3, 10), is_workday=False, note="停电检修")
    assert calendar.add_working_hours(at(2025, 3, 7, 16), 4) == at(2025, 3, 11, 10)


def test_administrator_override_makes_a_saturday_a_working_day():
    CalendarDay.objects.create(date=dt.date(2025, 3, 8), is_workday=True)
    assert calendar.add_working_hours(at(2025, 3, 7, 17), 2) == at(2025, 3, 8, 9)


def test_year_without_package_data_falls_back_to_weekdays_and_overrides():
    # chinese-calendar 1.11 knows years up to 2026; 2027 uses Monday–Friday plus overrides.
    assert calendar.add_working_hours(at(2027, 1, 8, 17), 2) == at(2027, 1, 11, 9)
    CalendarDay.objects.create(date=dt.date(2027, 1, 11), is_workday=False, note="补录假日")
    assert calendar.add_working_hours(at(2027, 1, 8, 17), 2) == at(2027, 1, 12, 9)


def test_working_hours_between_inverts_add_working_hours_over_a_year():
    start = at(2025, 1, 20, 9, 17)
    for hours in (0.5, 3, 7.5, 40, 123, 900):
        end = calendar.add_working_hours(start, hours)
        assert calendar.working_hours_between(start, end) == pytest.approx(hours)
        assert calendar.working_hours_between(end, start) == pytest.approx(-hours)


def test_working_periods_come_from_settings(settings):
    settings.DISPATCH_WORKING_HOURS = "09:00-17:00"
    calendar.invalidate()
    assert calendar.add_working_hours(at(2025, 3, 10, 16), 2) == at(2025, 3, 11, 10)


@pytest.mark.parametrize(
    "value", ["", "8-12", "08:00-12:00,11:00-13:00", "18:00-08:00", "9:7-10:00"]
)
def test_malformed_working_hours_setting_is_refused_with_its_name(value):
    with pytest.raises(ImproperlyConfigured, match="DISPATCH_WORKING_HOURS"):
        calendar.parse_working_hours(value)
