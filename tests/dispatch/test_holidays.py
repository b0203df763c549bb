"""Next year's calendar: a year's official holiday schedule loaded from a CSV (command and admin),
checked line by line with nothing written on a bad file, and a warning on the admin's pages from
1 December while next year's schedule is missing."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from dispatch import calendar
from dispatch.models import CalendarDay

pytestmark = pytest.mark.django_db

# A made-up 2028 schedule (no year of chinese-calendar's): a Monday off, a Sunday worked.
SCHEDULE = """date,type,name
2028-01-03,off,元旦
2028-02-06,work,春节调休上班
2028-02-07,休,春节
"""
BAD = """date,type,name
2028-01-03,off,元旦
2028-13-01,off,不存在的日子
2028-02-06,maybe,春节
2028-01-03,off,重复
"""


def test_the_command_loads_a_year_and_deadlines_follow_it(tmp_path):
    assert calendar.is_workday(dt.date(2028, 1, 3))  # a Monday: weekdays only, before loading
    path = tmp_path / "2028.csv"
    path.write_text(SCHEDULE, encoding="utf-8")
    call_command("load_holidays", str(path))
    assert CalendarDay.objects.filter(date__year=2028).count() == 3
    assert not calendar.is_workday(dt.date(2028, 1, 3))
    assert calendar.is_workday(dt.date(2028, 2, 6))  # a Sunday, worked
    # Friday 2027-12-31 17:00 + 2 working hours: 17:00–18:00, then Tuesday 2028-01-04 08:00–09:00.
    start = dt.datetime(2027, 12, 31, 17, tzinfo=ZoneInfo("Asia/Shanghai"))
    expected = dt.datetime(2028, 1, 4, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(start, tick=False):
        assert calendar.add_working_hours(start, 2) == expected


def test_a_bad_file_names_every_bad_line_and_writes_nothing(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("load_holidays", str(path))
    message = str(error.value)
    assert "第 3 行" in message and "第 4 行" in message and "第 5 行" in message
    assert "第 2 行" not in message
    assert not CalendarDay.objects.exists()


def test_one_file_holds_one_year(tmp_path):
    path = tmp_path / "two.csv"
    path.write_text("2028-01-03,off,元旦\n2029-01-01,off,元旦\n", encoding="utf-8")
    with pytest.raises(CommandError, match="一年"):
        call_command("load_holidays", str(path))
    assert not CalendarDay.objects.exists()


def upload(text: str):
    return SimpleUploadedFile("2028.csv", text.encode("utf-8"), content_type="text/csv")


def test_an_administrator_loads_the_schedule_in_the_admin(login, admin_user):
    client = login(admin_user)
    url = "/admin/dispatch/calendarday/load/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"file": upload(BAD)})
    assert response.status_code == 200
    assert "schedule-errors" in response.content.decode()
    assert not CalendarDay.objects.exists()
    response = client.post(url, {"file": upload(SCHEDULE)}, follow=True)
    assert "已导入 2028 年的节假日安排，共 3 天" in response.content.decode()
    assert CalendarDay.objects.filter(date__year=2028).count() == 3
    assert LogEntry.objects.filter(user=admin_user).count() == 3


def test_people_who_are_not_administrators_cannot_load_a_schedule(login, dispatcher):
    client = login(dispatcher)
    response = client.post("/admin/dispatch/calendarday/load/", {"file": upload(SCHEDULE)})
    assert response.status_code in (302, 403)
    assert not CalendarDay.objects.exists()


@pytest.mark.parametrize(
    "today, shown",
    [("2027-11-30", False), ("2027-12-01", True), ("2027-12-31", True)],
)
def test_the_admin_warns_from_1_december_while_next_year_is_missing(
    login, admin_user, today, shown
):
    moment = dt.datetime.fromisoformat(today).replace(hour=10, tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(moment, tick=False):
        client = login(admin_user)  # a session started a year earlier would have expired
        page = client.get("/admin/").content.decode()
        assert ("holiday-schedule-missing" in page) == shown
        assert ("尚未载入 2028 年的节假日安排" in page) == shown
        CalendarDay.objects.create(date=dt.date(2028, 1, 3), is_workday=False, note="元旦")
        assert "holiday-schedule-missing" not in client.get("/admin/").content.decode()
