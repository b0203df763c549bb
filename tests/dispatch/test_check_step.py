"""The check step (待核查) is watched and separated from the work: a handled ticket must be checked
on site within CHECK_LIMIT_HOURS working hours (7.5, one working day), reminded at 75% and
supervised at the limit exactly once; whoever did the grid-level work may not check it; 核查及时率
counts it. Hand-made histories; the answers are worked out in the comments.

Working time is Mon–Fri 08:00–12:00 and 14:30–18:00 Asia/Shanghai; 2026-11-16 is a Monday.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.models import User
from dispatch.actions.closure import check_and_close, send_back
from dispatch.actions.routing import route_report
from dispatch.actions.unit_work import accept_task, finish_task
from dispatch.actions.watch import watch_checks
from dispatch.errors import NotPermitted
from grids import actions as grid_actions
from reports.models import Event, Status
from stats import rollup, selectors
from stats.filters import Period, parse_scope
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

CST = ZoneInfo("Asia/Shanghai")
NOVEMBER = Period("custom", dt.date(2026, 11, 1), dt.date(2026, 11, 30))


def at(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=CST)


def travel(text: str):
    return time_machine.travel(at(text), tick=False)


@pytest.fixture
def cg(staff_of) -> User:
    return staff_of("CG")


@pytest.fixture
def handle(submit, cg, photo):
    """handle(when) → a 01037 ticket filed Monday 09:00 and handled by 城管 at `when`."""

    def _handle(when: str):
        with travel("2026-11-16 09:00:00"):
            report = submit("01037")
            (task,) = route_report(report_id=report.id)
        with travel(when):
            accept_task(task=task, actor=cg)
            finish_task(task=task, actor=cg, note="已修复", photo=photo())
        report.refresh_from_db()
        assert report.status == Status.HANDLED
        return report

    return _handle


def test_a_handled_ticket_is_due_for_its_check_within_one_working_day(handle):
    report = handle("2026-11-17 10:00:00")
    # Tue 10:00–12:00 (2) + 14:30–18:00 (3.5) = 5.5; Wed 08:00 + 2 = 10:00.
    assert report.check_due_at == at("2026-11-18 10:00:00")
    # 75% of 7.5 = 5.625 h: Tue 5.5, Wed 08:00 + 0.125 h = 08:07:30.
    assert report.check_remind_due_at == at("2026-11-18 08:07:30")


def test_the_check_is_reminded_and_supervised_exactly_once(handle, worker_a, dispatcher):
    report = handle("2026-11-17 10:00:00")
    assert watch_checks(now=at("2026-11-18 08:07:29")) == {
        "check_reminded": 0,
        "check_overdue": 0,
    }
    assert watch_checks(now=at("2026-11-18 08:07:30"))["check_reminded"] == 1
    assert watch_checks(now=at("2026-11-18 09:00:00"))["check_reminded"] == 0
    assert worker_a.notifications.filter(kind="check_reminder").count() == 1
    assert watch_checks(now=at("2026-11-18 10:00:00")) == {
        "check_reminded": 0,
        "check_overdue": 1,
    }
    assert watch_checks(now=at("2026-11-19 10:00:00"))["check_overdue"] == 0
    assert dispatcher.notifications.filter(kind="check_overdue").count() == 1
    assert worker_a.notifications.filter(kind="check_overdue").count() == 1
    kinds = list(Event.objects.filter(report=report).values_list("kind", flat=True))
    assert kinds.count("check_reminded") == 1 and kinds.count("check_overdue") == 1
    # The Celery task runs both watches.
    from dispatch.tasks import watch_deadlines

    assert set(watch_deadlines.run()) >= {"reminded", "overdue", "check_reminded", "check_overdue"}


def test_a_checked_ticket_is_not_chased(handle, worker_a, photo):
    report = handle("2026-11-17 10:00:00")
    with travel("2026-11-17 15:00:00"):
        check_and_close(report=report, actor=worker_a, photo=photo())
    assert watch_checks(now=at("2026-11-20 10:00:00")) == {
        "check_reminded": 0,
        "check_overdue": 0,
    }
    closed = Event.objects.get(report=report, kind="closed")
    assert closed.data["checked_on_time"] is True


@pytest.fixture
def grid_task(submit, worker_a):
    """06010 (grid level) accepted and done by worker A."""
    report = submit("06010")
    (task,) = route_report(report_id=report.id)
    return report, task


def finish(task, actor, photo):
    accept_task(task=task, actor=actor)
    finish_task(task=task, actor=actor, note="已清理", photo=photo())


def test_whoever_did_the_grid_work_may_not_check_it_when_the_grid_has_another_worker(
    grid_task, worker_a, grid_a, photo
):
    report, task = grid_task
    colleague = make_user("13900000019", "网格员A2")
    grid_actions.add_grid_member(user=colleague, grid=grid_a)
    finish(task, worker_a, photo)
    with pytest.raises(NotPermitted):
        check_and_close(report=report, actor=worker_a, photo=photo())
    with pytest.raises(NotPermitted):
        send_back(report=report, actor=worker_a, reason="自己返工")
    report.refresh_from_db()
    assert report.status == Status.HANDLED
    check_and_close(report=report, actor=colleague, photo=photo())
    closed = Event.objects.get(report=report, kind="closed")
    assert "self_checked" not in closed.data


def test_the_only_worker_of_a_grid_may_check_their_own_work_and_the_event_says_so(
    grid_task, worker_a, photo
):
    report, task = grid_task
    finish(task, worker_a, photo)
    check_and_close(report=report, actor=worker_a, photo=photo())
    closed = Event.objects.get(report=report, kind="closed")
    assert closed.data["self_checked"] is True


def test_without_the_one_worker_exception_the_dispatcher_checks(
    grid_task, worker_a, dispatcher, photo, settings
):
    settings.CHECK_SELF_IN_ONE_WORKER_GRID = False
    report, task = grid_task
    finish(task, worker_a, photo)
    with pytest.raises(NotPermitted):
        check_and_close(report=report, actor=worker_a, photo=photo())
    check_and_close(report=report, actor=dispatcher, photo=photo())
    report.refresh_from_db()
    assert report.status == Status.CLOSED


def test_check_rate_on_a_hand_made_history(handle, worker_a, photo):
    """Four tickets handled that week, the figures read on Thursday 11-19 at 09:00:
    T1 handled Tue 10:00, checked Tue 15:00 (due Wed 10:00): on time.
    T2 handled Tue 10:00, checked Wed 11:00 (due Wed 10:00): late.
    T3 handled Tue 10:00, still unchecked on Thursday: due, late.
    T4 handled Wed 17:00 (due Thu 17:00, after Thursday 09:00): not due yet.
    核查及时率 = 1 ÷ 3."""
    t1 = handle("2026-11-17 10:00:00")
    t2 = handle("2026-11-17 10:00:00")
    handle("2026-11-17 10:00:00")
    t4 = handle("2026-11-18 17:00:00")
    # Wed 17:00–18:00 (1), Thu 08:00–12:00 (5), Thu 14:30 + 2.5 = 17:00.
    assert t4.check_due_at == at("2026-11-19 17:00:00")
    with travel("2026-11-17 15:00:00"):
        check_and_close(report=t1, actor=worker_a, photo=photo())
    with travel("2026-11-18 11:00:00"):
        check_and_close(report=t2, actor=worker_a, photo=photo())
    with travel("2026-11-19 09:00:00"):
        from_tickets = selectors.figures_from_tickets(NOVEMBER, parse_scope({}))
        rollup.refresh_recent()
        from_store = selectors.figures(NOVEMBER, parse_scope({}))
    for figures in (from_tickets, from_store):
        assert (figures.check_due, figures.checked_on_time) == (3, 1)
        assert figures.check_rate == pytest.approx(0.3333)
