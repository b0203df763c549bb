"""Routing: the most specific rule wins; each handling level goes to its own unit."""

import pytest

from dispatch import actions
from dispatch.models import Task
from reports.models import Category, Event, Status

pytestmark = pytest.mark.django_db


def test_electric_pole_report_creates_six_tasks_with_cg_leading(submit):
    report = submit("01005")

    tasks = actions.route_report(report_id=report.id)

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
