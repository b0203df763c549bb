"""Routing: the most specific rule wins; each handling level goes to its own unit."""

import datetime as dt
import threading

import pytest
from django.db import connection

from dispatch import calendar
from dispatch.actions.routing import route_report
from dispatch.models import DispatchQueueEntry, RoutingRule, Task, Unit
from reports.models import Category, Event, Status

pytestmark = pytest.mark.django_db


def test_electric_pole_report_creates_six_tasks_with_cg_leading(submit):
    report = submit("01030")

    tasks = route_report(report_id=report.id)

    report.refresh_from_db()
    assert report.status == Status.DISPATCHED
    assert {(t.unit.code, t.role) for t in tasks} == {
        ("CG", Task.Role.LEAD),
        ("ZJ", Task.Role.COOPERATING),
        ("DL", Task.Role.COOPERATING),
        ("YD", Task.Role.COOPERATING),
        ("LT", Task.Role.COOPERATING),
        ("DX", Task.Role.COOPERATING),
    }
    assert report.handled_level == Category.Level.DEPARTMENT
    assert report.dispatched_at is not None
    assert report.deadline == max(t.deadline for t in tasks)
    assert Event.objects.filter(report=report, kind="dispatched").count() == 1


def rule(category_code, lead, *, street=None, community=None, grid=None):
    return RoutingRule.objects.create(
        category=Category.objects.by_code(category_code),
        lead_unit=Unit.objects.get(code=lead),
        street=street,
        community=community,
        grid=grid,
    )


def lead_of(report):
    return report.tasks.get(role=Task.Role.LEAD).unit.code


def test_most_specific_rule_wins_grid_over_community_over_street_over_city(submit, grid_a):
    community, street = grid_a.community, grid_a.community.street
    rule("01037", "ZJ", street=street)
    first = submit("01037")
    route_report(report_id=first.id)
    assert lead_of(first) == "ZJ"

    rule("01037", "JT", community=community)
    second = submit("01037")
    route_report(report_id=second.id)
    assert lead_of(second) == "JT"

    rule("01037", "GA", grid=grid_a)
    third = submit("01037")
    route_report(report_id=third.id)
    assert lead_of(third) == "GA"


def test_rule_of_another_area_does_not_apply(submit, grid_a, grid_b):
    rule("01037", "GA", grid=grid_b)
    report = submit("01037", grid=grid_a)
    route_report(report_id=report.id)
    assert lead_of(report) == "CG"  # the city-wide default from categories.csv


def test_leaf_category_rule_beats_parent_category_rule_in_the_same_area(submit, grid_a):
    rule("01", "SW", community=grid_a.community)
    rule("01037", "JT", community=grid_a.community)
    report = submit("01037")
    route_report(report_id=report.id)
    assert lead_of(report) == "JT"


def test_parent_category_rule_covers_a_leaf_without_its_own_rule(submit, grid_a):
    RoutingRule.objects.filter(category__code="01061").delete()
    rule("01", "SW", street=grid_a.community.street)
    report = submit("01061")
    route_report(report_id=report.id)
    assert lead_of(report) == "SW"


def test_grid_level_category_goes_to_the_grids_own_team(submit, grid_a):
    report = submit("06010")  # 暴露垃圾: settled inside the grid
    tasks = route_report(report_id=report.id)
    assert [(t.unit.grid_id, t.level) for t in tasks] == [(grid_a.id, Category.Level.GRID)]
    report.refresh_from_db()
    assert report.handled_level == Category.Level.GRID


def test_community_level_category_goes_to_the_community_committee(submit, grid_a):
    report = submit("06042")
    tasks = route_report(report_id=report.id)
    assert [(t.unit.community_id, t.level) for t in tasks] == [
        (grid_a.community_id, Category.Level.COMMUNITY)
    ]


def test_report_no_rule_covers_waits_for_the_dispatcher(submit, dispatcher):
    RoutingRule.objects.filter(category__code__in=["01037", "01"]).delete()
    report = submit("01037")

    assert route_report(report_id=report.id) == []

    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
    entry = DispatchQueueEntry.objects.get(report=report, resolved_at=None)
    assert entry.reason == DispatchQueueEntry.Reason.UNCOVERED
    assert Event.objects.filter(report=report, kind="awaiting_manual_routing").count() == 1
    assert dispatcher.notifications.filter(kind="awaiting_manual_routing").exists()


def test_report_marked_category_unsure_waits_for_the_dispatcher(submit):
    report = submit("01030", category_unsure=True)
    assert route_report(report_id=report.id) == []
    assert DispatchQueueEntry.objects.get(report=report).reason == "unsure"
    assert not Task.objects.filter(report=report).exists()


def test_routing_again_changes_nothing(submit):
    report = submit("01030")
    route_report(report_id=report.id)
    assert route_report(report_id=report.id) == []
    assert report.tasks.count() == 6
    assert Event.objects.filter(report=report, kind="dispatched").count() == 1


def test_task_deadlines_follow_the_category_time_limit(submit):
    report = submit("01037")  # 24 working hours, not urgent
    (task,) = route_report(report_id=report.id)
    assert task.hours == 24 and not task.urgent
    assert calendar.working_hours_between(task.assigned_at, task.deadline) == pytest.approx(24)
    assert calendar.working_hours_between(task.assigned_at, task.remind_due_at) == pytest.approx(18)
    assert calendar.working_hours_between(task.assigned_at, task.official_due_at) == pytest.approx(
        48
    )


def test_urgent_category_deadline_counts_clock_hours(submit):
    report = submit("01023")  # 井盖缺失: 4 h, urgent
    task = route_report(report_id=report.id)[0]
    assert task.urgent
    assert task.deadline - task.assigned_at == dt.timedelta(hours=4)


def test_members_of_every_unit_are_notified_of_their_new_task(submit, staff_of):
    people = {code: staff_of(code) for code in ("CG", "ZJ", "DL", "YD", "LT", "DX")}
    outsider = staff_of("JT")
    report = submit("01030")
    route_report(report_id=report.id)
    for person in people.values():
        assert person.notifications.filter(kind="task_assigned").count() == 1
    assert not outsider.notifications.exists()


def test_grid_team_members_are_the_grids_workers(submit, worker_a, worker_b):
    report = submit("06010")
    route_report(report_id=report.id)
    assert worker_a.notifications.filter(kind="task_assigned").count() == 1
    assert not worker_b.notifications.filter(kind="task_assigned").exists()


@pytest.mark.django_db(transaction=True)
def test_two_workers_routing_the_same_report_at_once_create_one_set_of_tasks(submit):
    report = submit("01030")
    barrier = threading.Barrier(4)
    results, errors = [], []

    def route():
        try:
            barrier.wait()
            results.append(len(route_report(report_id=report.id)))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=route) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert sorted(results) == [0, 0, 0, 6]
    assert Task.objects.filter(report=report).count() == 6
    assert Event.objects.filter(report=report, kind="dispatched").count() == 1
