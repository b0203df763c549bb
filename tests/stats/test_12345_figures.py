"""The 12345 figures on a hand-made history driven through the actions (answers worked out in the
comments): 响应率, 解决率, 满意率 from ratings and call-backs, 准确派遣率, 超期率, re-rating after 重办,
the reopen limit, and patrol tickets closed on the spot (自行处置) counted apart.

Working time: Mon–Fri 08:00–12:00, 14:30–18:00 (Asia/Shanghai); 2026-11-16 is a Monday. 01037
路灯异常 goes to 城管 (CG) with 24 working hours: first dispatched Monday 09:00, due Thu 19 10:30.
TASK_RESPONSE_HOURS is 2 working hours.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from dispatch.actions.closure import check_and_close, reopen_after_unsatisfied
from dispatch.actions.patrol import file_patrol_report
from dispatch.actions.routing import route_manually, route_report
from dispatch.actions.unit_work import accept_task, finish_task, return_task
from dispatch.call_backs import record_call_back
from dispatch.errors import TransitionRefused
from dispatch.models import Task, Unit
from reports.actions import rate_report
from reports.models import Rating
from stats import selectors
from stats.filters import Period, parse_scope
from tests.dispatch.conftest import photo, point_in, staff_of, submit, units  # noqa: F401

pytestmark = pytest.mark.django_db

CST = ZoneInfo("Asia/Shanghai")
NOVEMBER = Period("custom", dt.date(2026, 11, 1), dt.date(2026, 11, 30))


def travel(text: str):
    moment = dt.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=CST)
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def world(submit, staff_of, worker_a, dispatcher, photo, grid_a, settings):  # noqa: F811
    settings.REOPEN_LIMIT = 1
    cg = staff_of("CG")

    def filed():
        with travel("2026-11-16 09:00"):
            report = submit("01037")
            (task,) = route_report(report_id=report.id)
        return report, task

    def work(task, accepted: str, done: str):
        with travel(accepted):
            accept_task(task=task, actor=cg)
        with travel(done):
            finish_task(task=task, actor=cg, note="已修复", photo=photo())

    def close(report, when: str):
        with travel(when):
            check_and_close(report=report, actor=worker_a, photo=photo())
        report.refresh_from_db()

    # A: accepted after 1 h (in time), closed Tue, rated 满意.
    a, task = filed()
    work(task, "2026-11-16 10:00", "2026-11-17 09:00")
    close(a, "2026-11-17 10:00")
    rate_report(report=a, actor=a.reporter, rating=Rating.SATISFIED)

    # B: accepted Monday 15:00 = 3 + 0.5 = 3.5 working hours (late), closed Tue, never rated;
    # the 回访 on Saturday reached the reporter: not solved, 基本满意.
    b, task = filed()
    work(task, "2026-11-16 15:00", "2026-11-17 09:00")
    close(b, "2026-11-17 10:00")
    with travel("2026-11-21 10:00"):
        record_call_back(
            report=b, actor=dispatcher, reached=True, solved=False, satisfaction="basically"
        )

    # C: 城管 returns it at 09:30 (a returned task, never accepted); the dispatcher routes it to
    # 城管 again at 10:00, accepted 10:30 (0.5 h, in time); closed Tue, rated 不满意, reopened;
    # the second round closes Fri 20 (after Thu 19 10:30: late) and is rated 满意.
    c, task = filed()
    with travel("2026-11-16 09:30"):
        return_task(task=task, actor=cg, reason="不属于本单位")
    with travel("2026-11-16 10:00"):
        (task,) = route_manually(report=c, actor=dispatcher, lead_unit=Unit.objects.get(code="CG"))
    work(task, "2026-11-16 10:30", "2026-11-17 09:00")
    close(c, "2026-11-17 10:00")
    rate_report(report=c, actor=c.reporter, rating=Rating.UNSATISFIED, comment="灯还是暗")
    with travel("2026-11-18 09:00"):
        reopen_after_unsatisfied(report=c, actor=dispatcher)
    task.refresh_from_db()
    work(task, "2026-11-18 10:00", "2026-11-20 09:00")
    close(c, "2026-11-20 10:00")
    rate_report(report=c, actor=c.reporter, rating=Rating.SATISFIED)

    # P: worker A fixed a fallen sign on patrol and closed it on the spot (自行处置).
    lon, lat = point_in(grid_a)
    with travel("2026-11-18 11:00"):
        file_patrol_report(
            actor=worker_a,
            category="01037",
            lon=lon,
            lat=lat,
            description="路灯灯罩松动，已紧固",
            photos=[photo()],
            handled_on_spot=True,
            after_photo=photo(),
        )
    return {"a": a, "b": b, "c": c, "dispatcher": dispatcher}


def test_the_12345_figures_on_the_hand_made_history(world):
    figures = selectors.figures_from_tickets(NOVEMBER, parse_scope({}))
    # Tasks: A 1 (in time), B 1 (late), C 2 (the returned one never accepted; the second in
    # time): 2 of 4 answered in time; 1 of 4 returned.
    assert (figures.tasks, figures.responded_tasks, figures.returned_tasks) == (4, 2, 1)
    assert figures.response_rate == 0.5
    assert figures.dispatch_accuracy == 0.75
    # Verdicts: A 满意 (solved), B 基本满意 by call-back (not solved), C the latest round's 满意
    # (the 不满意 of the first round no longer counts): 3 with a verdict, 3 satisfied, 2 solved.
    assert (figures.rated, figures.satisfied, figures.solved) == (3, 3, 2)
    assert figures.satisfaction_rate == 1.0
    assert figures.resolution_rate == pytest.approx(0.6667)
    # Due in November with a deadline: A, B, C (P closed on the spot has none); C closed late.
    assert (figures.due, figures.on_time) == (3, 2)
    assert figures.overdue_rate == pytest.approx(0.3333)
    assert figures.on_spot == 1


def test_the_store_agrees(world):
    from stats import rollup

    rollup.refresh_recent()
    stored = selectors.figures(NOVEMBER, parse_scope({}))
    direct = selectors.figures_from_tickets(NOVEMBER, parse_scope({}))
    for name in (
        "response_rate",
        "resolution_rate",
        "satisfaction_rate",
        "dispatch_accuracy",
        "overdue_rate",
        "on_spot",
    ):
        assert getattr(stored, name) == getattr(direct, name), name


def test_a_ticket_is_reopened_at_most_reopen_limit_times(world, staff_of, worker_a, photo):  # noqa: F811
    """REOPEN_LIMIT is 1: B (never rated) is rated 不满意 and reopened once; its second round is
    rated 不满意 again and the dispatcher may not start a third."""
    b, dispatcher = world["b"], world["dispatcher"]
    rate_report(report=b, actor=b.reporter, rating=Rating.UNSATISFIED, comment="灯还是暗")
    reopen_after_unsatisfied(report=b, actor=dispatcher)
    cg = staff_of("CG")
    task = Task.objects.get(report=b, status="pending")
    accept_task(task=task, actor=cg)
    finish_task(task=task, actor=cg, note="再次维修", photo=photo())
    check_and_close(report=b, actor=worker_a, photo=photo())
    rate_report(report=b, actor=b.reporter, rating=Rating.UNSATISFIED, comment="又坏了")
    with pytest.raises(TransitionRefused):
        reopen_after_unsatisfied(report=b, actor=dispatcher)
    b.refresh_from_db()
    assert b.reopened_count == 1 and not Task.objects.filter(report=b, status="pending").exists()


def test_the_first_rounds_rating_stays_in_the_history(world):
    c = world["c"]
    ratings = [e.data.get("rating") for e in c.events.filter(kind="rated").order_by("created_at")]
    assert ratings == ["unsatisfied", "satisfied"]


def test_the_reopened_event_carries_the_residents_reason(world):
    # The new round clears the rating; the event keeps the 不满意 reason it was reopened for.
    assert world["c"].events.get(kind="reopened").note == "灯还是暗"
