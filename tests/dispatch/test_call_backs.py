"""回访 through the pages: dispatchers and 12345 operators see closed tickets without a rating
CALLBACK_AFTER_DAYS after closing, call the reporter and record the answer; others are refused;
bad input changes nothing."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from dispatch.actions.closure import check_and_close
from dispatch.actions.routing import route_report
from dispatch.actions.unit_work import accept_task, finish_task
from dispatch.models import CallBack
from reports.actions import HOTLINE_GROUP, ensure_hotline_operator_group
from reports.models import Report
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(submit, staff_of, worker_a, photo):
    """A 01037 ticket closed four days ago, never rated."""
    cg = staff_of("CG")
    report = submit("01037")
    (task,) = route_report(report_id=report.id)
    accept_task(task=task, actor=cg)
    finish_task(task=task, actor=cg, note="已修复", photo=photo())
    check_and_close(report=report, actor=worker_a, photo=photo())
    Report.objects.filter(id=report.id).update(closed_at=timezone.now() - dt.timedelta(days=4))
    report.refresh_from_db()
    return report


@pytest.fixture
def operator(db):
    ensure_hotline_operator_group()
    user = make_user("13900000071", "热线坐席")
    user.groups.add(Group.objects.get(name=HOTLINE_GROUP))
    return user


def test_operators_and_dispatchers_see_the_call_back_list_with_the_phone(
    login, closed, operator, dispatcher
):
    for person in (operator, dispatcher):
        page = login(person).get("/callbacks/").content.decode()
        assert closed.number in page and closed.reporter.phone in page


def test_a_ticket_closed_yesterday_is_not_due_yet(login, closed, dispatcher):
    Report.objects.filter(id=closed.id).update(closed_at=timezone.now() - dt.timedelta(days=1))
    assert closed.number not in login(dispatcher).get("/callbacks/").content.decode()


def test_recording_a_call_back_takes_it_off_the_list(login, closed, operator):
    client = login(operator)
    response = client.post(
        f"/callbacks/{closed.number}/",
        {"reached": "yes", "solved": "yes", "satisfaction": "satisfied", "note": "灯已亮"},
        follow=True,
    )
    assert "已登记" in response.content.decode()
    call = CallBack.objects.get(report=closed)
    assert (call.reached, call.solved, call.satisfaction, call.caller) == (
        True,
        True,
        "satisfied",
        operator,
    )
    assert closed.events.filter(kind="called_back", public=False).count() == 1
    assert closed.number not in client.get("/callbacks/").content.decode()


def test_a_reached_resident_without_an_answer_is_refused_and_nothing_is_saved(
    login, closed, dispatcher
):
    response = login(dispatcher).post(
        f"/callbacks/{closed.number}/", {"reached": "yes"}, follow=True
    )
    assert "请登记问题是否解决和满意度" in response.content.decode()
    assert not CallBack.objects.exists()
    assert not closed.events.filter(kind="called_back").exists()


def test_residents_workers_and_unit_staff_are_refused(login, closed, resident, worker_a):
    for person in (resident, worker_a):
        client = login(person)
        assert client.get("/callbacks/").status_code == 403
        response = client.post(f"/callbacks/{closed.number}/", {"reached": "no"})
        assert response.status_code == 403
    assert not CallBack.objects.exists()
