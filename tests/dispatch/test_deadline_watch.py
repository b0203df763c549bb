"""The deadline watch: 催办 at 75%, 督办 at the deadline, the officials' list at twice the time.
Each step happens exactly once, however many watchers run."""

import datetime as dt
import threading

import pytest
from django.db import connection

from dispatch.actions.extensions import approve_extension, request_extension
from dispatch.actions.routing import route_report
from dispatch.actions.suspension import resume_report, suspend_report
from dispatch.actions.unit_work import accept_task, finish_task
from dispatch.actions.watch import watch_deadlines
from dispatch.models import Task, UnitMembership
from reports.models import Event

pytestmark = pytest.mark.django_db

SECOND = dt.timedelta(seconds=1)


@pytest.fixture
def streetlight(submit, staff_of, dispatcher):
    """A 路灯异常 report (24 working hours) routed to 城管, with its staff and head."""
    staff, head = staff_of("CG"), staff_of("CG", UnitMembership.Role.HEAD)
    report = submit("01037")
    (task,) = route_report(report_id=report.id)
    return report, task, staff, head


def kinds(report):
    return list(Event.objects.filter(report=report).values_list("kind", flat=True))


def test_nothing_happens_before_three_quarters_of_the_time(streetlight):
    report, task, staff, _ = streetlight
    assert watch_deadlines(now=task.remind_due_at - SECOND) == {
        "reminded": 0,
        "overdue": 0,
        "official": 0,
    }
    assert not staff.notifications.filter(kind="task_reminder").exists()


def test_unit_is_reminded_once_at_three_quarters_of_the_time(streetlight):
    report, task, staff, head = streetlight
    assert watch_deadlines(now=task.remind_due_at)["reminded"] == 1
    assert watch_deadlines(now=task.remind_due_at + SECOND)["reminded"] == 0
    assert staff.notifications.filter(kind="task_reminder").count() == 1
    assert head.notifications.filter(kind="task_reminder").count() == 1
    assert kinds(report).count("task_reminded") == 1


def test_at_the_deadline_head_and_dispatchers_are_told_and_the_ticket_is_overdue(
    streetlight, dispatcher
):
    report, task, staff, head = streetlight
    result = watch_deadlines(now=task.deadline)
    assert result == {"reminded": 1, "overdue": 1, "official": 0}
    report.refresh_from_db()
    task.refresh_from_db()
    assert report.overdue_at == task.overdue_at == task.deadline
    assert head.notifications.filter(kind="task_overdue").count() == 1
    assert not staff.notifications.filter(kind="task_overdue").exists()
    assert dispatcher.notifications.filter(kind="task_overdue").count() == 1
    watch_deadlines(now=task.deadline + SECOND)
    assert dispatcher.notifications.filter(kind="task_overdue").count() == 1


def test_at_twice_the_time_the_task_joins_the_officials_list(streetlight):
    report, task, _, _ = streetlight
    watch_deadlines(now=task.official_due_at - SECOND)
    assert Task.objects.get(id=task.id).official_listed_at is None
    watch_deadlines(now=task.official_due_at)
    listed = Task.objects.filter(official_listed_at__isnull=False)
    assert list(listed.values_list("id", flat=True)) == [task.id]
    assert kinds(report).count("task_listed_for_officials") == 1


def test_finished_tasks_and_suspended_tickets_are_not_chased(streetlight, dispatcher, photo):
    report, task, staff, _ = streetlight
    suspend_report(report=report, actor=dispatcher, reason="冬季无法施工")
    assert watch_deadlines(now=task.official_due_at)["overdue"] == 0
    resume_report(report=report, actor=dispatcher)
    task.refresh_from_db()
    accept_task(task=task, actor=staff)
    finish_task(task=task, actor=staff, note="已修复", photo=photo())
    assert watch_deadlines(now=task.official_due_at) == {
        "reminded": 0,
        "overdue": 0,
        "official": 0,
    }


def test_approved_extension_brings_a_new_reminder_for_the_new_deadline(streetlight, dispatcher):
    report, task, staff, _ = streetlight
    watch_deadlines(now=task.remind_due_at)
    extension = request_extension(task=task, actor=staff, hours=24, reason="等配件")
    approve_extension(extension=extension, actor=dispatcher)
    task.refresh_from_db()
    assert task.reminded_at is None
    watch_deadlines(now=task.remind_due_at)
    assert staff.notifications.filter(kind="task_reminder").count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_watchers_racing_send_each_reminder_exactly_once(streetlight, dispatcher):
    report, task, staff, head = streetlight
    moment = task.official_due_at
    barrier = threading.Barrier(3)
    results, errors = [], []

    def watch():
        try:
            barrier.wait()
            results.append(watch_deadlines(now=moment))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=watch) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    for step in ("reminded", "overdue", "official"):
        assert sum(r[step] for r in results) == 1
    assert staff.notifications.filter(kind="task_reminder").count() == 1
    assert head.notifications.filter(kind="task_overdue").count() == 1
    assert dispatcher.notifications.filter(kind="task_overdue").count() == 1
    events = kinds(report)
    assert [events.count(k) for k in ("task_reminded", "task_overdue")] == [1, 1]
    assert events.count("task_listed_for_officials") == 1
