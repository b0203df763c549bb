"""One clock per ticket (DESIGN §4, README "One clock per ticket"): hand-made histories with the
answers worked out by hand in the comments.

Working time is Mon–Fri 08:00–12:00 and 14:30–18:00 Asia/Shanghai (7.5 h a day); the weeks used
(2026-11-16 to 2026-11-27) hold no holiday. 01037 路灯异常 has a 24-working-hour limit (城管),
06010 暴露垃圾 a 4-hour grid-level limit.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from dispatch.actions.closure import check_and_close, send_back
from dispatch.actions.extensions import approve_extension, request_extension
from dispatch.actions.routing import route_report
from dispatch.actions.suspension import resume_report, suspend_report
from dispatch.actions.unit_work import accept_task, escalate_task, finish_task
from dispatch.actions.watch import watch_deadlines
from dispatch.models import Task
from reports.models import Status
from stats.facts import sync_facts
from stats.models import TicketFact

pytestmark = pytest.mark.django_db

CST = ZoneInfo("Asia/Shanghai")


def at(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=CST)


def travel(text: str):
    return time_machine.travel(at(text), tick=False)


def fact_of(report) -> TicketFact:
    sync_facts([report.id])
    return TicketFact.objects.get(report_id=report.id)


@pytest.fixture
def streetlight(submit, staff_of):
    """01037 filed and routed to 城管 on Monday 2026-11-16 at 09:00."""
    staff = staff_of("CG")
    with travel("2026-11-16 09:00"):
        report = submit("01037")
        (task,) = route_report(report_id=report.id)
    report.refresh_from_db()
    return report, task, staff


def test_first_dispatch_fixes_the_ticket_deadline(streetlight):
    report, task, _ = streetlight
    # Mon 09:00–12:00 (3) + 14:30–18:00 (3.5) = 6.5; Tue 14; Wed 21.5; Thu 08:00 + 2.5 = 10:30.
    assert report.deadline == task.deadline == at("2026-11-19 10:30")


def test_rework_keeps_the_original_deadline_and_a_late_closure_is_late(
    streetlight, worker_a, photo
):
    report, task, staff = streetlight
    with travel("2026-11-17 10:00"):
        accept_task(task=task, actor=staff)
        finish_task(task=task, actor=staff, note="已更换灯泡", photo=photo())
    # Checked on Monday 11-23, three working days after the deadline: not fixed, 返工.
    with travel("2026-11-23 10:00"):
        send_back(report=report, actor=worker_a, reason="路灯仍不亮")
    task.refresh_from_db()
    report.refresh_from_db()
    # The rework round has its own limit for 城管: Mon 10:00 + 24 h → Mon 5.5, Tue 13, Wed 20.5,
    # Thu 08:00 + 3.5 = 11:30 ...
    assert task.deadline == at("2026-11-26 11:30")
    # ... but the ticket keeps the deadline it had when first dispatched.
    assert report.deadline == at("2026-11-19 10:30")
    with travel("2026-11-24 09:00"):
        accept_task(task=task, actor=staff)
        finish_task(task=task, actor=staff, note="更换镇流器", photo=photo())
    with travel("2026-11-24 10:00"):
        check_and_close(report=report, actor=worker_a, photo=photo())
    report.refresh_from_db()
    assert report.status == Status.CLOSED
    fact = fact_of(report)
    # Closed 11-24, due 11-19: counted as due, closed and late (not 按期办结), and reworked.
    assert (fact.due, fact.closed, fact.on_time, fact.reopened) == (True, True, False, True)


def test_escalation_gives_the_next_level_its_own_limit_but_not_the_ticket(submit, worker_a):
    with travel("2026-11-16 09:00"):
        report = submit("06010")
        (grid_task,) = route_report(report_id=report.id)
    # 4 working hours: Mon 09:00–12:00 (3) then 14:30 + 1 = 15:30.
    assert grid_task.deadline == at("2026-11-16 15:30")
    assert watch_deadlines(now=at("2026-11-16 15:30"))["overdue"] == 1
    with travel("2026-11-17 09:00"):
        (community_task,) = escalate_task(task=grid_task, actor=worker_a, reason="需清运车辆")
    report.refresh_from_db()
    assert community_task.deadline > at("2026-11-17 09:00")
    assert report.deadline == at("2026-11-16 15:30")
    assert report.overdue_at == at("2026-11-16 15:30")


def test_suspension_pauses_the_clock_and_resume_gives_back_the_time_left(streetlight, dispatcher):
    report, task, _ = streetlight
    # Due times from Mon 09:00: reminder at 18 h (Wed 12:00), deadline at 24 h (Thu 10:30),
    # officials' list at 48 h (Mon 11-23 ... not reached here).
    assert task.remind_due_at == at("2026-11-18 12:00")
    with travel("2026-11-17 09:00"):  # 7.5 working hours used: 16.5 left, 10.5 to the reminder
        suspend_report(report=report, actor=dispatcher, reason="等待供电公司停电检修")
    # A week of 挂账: the watch does not chase it.
    assert watch_deadlines(now=at("2026-11-20 17:00")) == {
        "reminded": 0,
        "overdue": 0,
        "official": 0,
    }
    with travel("2026-11-23 09:00"):
        resume_report(report=report, actor=dispatcher)
    task.refresh_from_db()
    report.refresh_from_db()
    # 16.5 h from Mon 11-23 09:00: Mon 6.5, Tue 14, Wed 08:00 + 2.5 = 10:30.
    assert task.deadline == report.deadline == at("2026-11-25 10:30")
    # 10.5 h: Mon 6.5, Tue 08:00 + 4 = 12:00.
    assert task.remind_due_at == at("2026-11-24 12:00")
    assert task.assigned_at == at("2026-11-16 09:00")  # the task's history is not rewritten


def test_a_ticket_overdue_before_suspension_stays_overdue_after_resume(streetlight, dispatcher):
    report, task, _ = streetlight
    assert watch_deadlines(now=at("2026-11-19 10:30"))["overdue"] == 1
    with travel("2026-11-19 11:00"):
        suspend_report(report=report, actor=dispatcher, reason="等待配件")
    with travel("2026-11-23 09:00"):
        resume_report(report=report, actor=dispatcher)
    task.refresh_from_db()
    report.refresh_from_db()
    assert report.deadline == task.deadline == at("2026-11-19 10:30")
    assert report.overdue_at == at("2026-11-19 10:30")
    assert task.overdue_at is not None  # 督办 happened once; resuming does not repeat it


def test_an_approved_extension_moves_the_ticket_deadline_and_stays_counted_after_rework(
    streetlight, dispatcher, worker_a, photo
):
    report, task, staff = streetlight
    with travel("2026-11-17 09:00"):
        extension = request_extension(task=task, actor=staff, hours=8, reason="需定制灯杆配件")
        approve_extension(extension=extension, actor=dispatcher)
    report.refresh_from_db()
    # 32 h from Mon 09:00: Mon 6.5, Tue 14, Wed 21.5, Thu 29, Fri 08:00 + 3 = 11:00.
    assert report.deadline == at("2026-11-20 11:00")
    with travel("2026-11-18 09:00"):
        accept_task(task=task, actor=staff)
        finish_task(task=task, actor=staff, note="已更换", photo=photo())
        send_back(report=report, actor=worker_a, reason="灯罩未装")
    task.refresh_from_db()
    assert task.status == Task.Status.PENDING and task.extended_hours == 0
    report.refresh_from_db()
    assert report.deadline == at("2026-11-20 11:00")
    # 延期 counts from the extension history, which 返工 does not erase: 1 of 1 task extended.
    fact = fact_of(report)
    assert (fact.tasks, fact.extended_tasks) == (1, 1)
