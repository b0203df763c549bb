"""The electric-pole case end to end through a real Celery worker on Redis (DESIGN §1)."""

import pytest
from django.urls import reverse

from dispatch.models import Task
from reports.models import Event, Status
from tests.dispatch.conftest import POLE_UNITS
from tests.dispatch.processes import wait_for

pytestmark = [pytest.mark.celery]


def test_electric_pole_case_runs_end_to_end_through_a_real_worker(
    celery_worker_process, submit, staff_of, worker_a, login, photo
):
    people = {code: staff_of(code) for code in POLE_UNITS}

    # Given a resident's report, committed: the worker routes it from the broker.
    report = submit("01030")
    wait_for(
        lambda: Task.objects.filter(report=report).count() == 6,
        timeout=30,
        what="six tasks created by the worker",
    )
    report.refresh_from_db()
    assert report.status == Status.DISPATCHED
    tasks = {t.unit.code: t for t in Task.objects.filter(report=report).select_related("unit")}
    assert {code: t.role for code, t in tasks.items()} == {
        "CG": "lead",
        "ZJ": "cooperating",
        "DL": "cooperating",
        "YD": "cooperating",
        "LT": "cooperating",
        "DX": "cooperating",
    }
    assert all(t.deadline > t.assigned_at for t in tasks.values())
    assert report.deadline == max(t.deadline for t in tasks.values())

    # When each unit's staff accept and finish their task through the API…
    for code in POLE_UNITS:
        api = login(people[code])
        task_id = tasks[code].id
        assert api.post(reverse("api-task-accept", args=[task_id])).status_code == 200
        response = api.post(
            reverse("api-task-finish", args=[task_id]), {"note": f"{code} 已处置", "photo": photo()}
        )
        assert response.status_code == 200, response.content
    report.refresh_from_db()
    assert report.status == Status.HANDLED

    # …and the grid worker checks the site and closes it.
    response = login(worker_a).post(
        reverse("api-ticket-close", args=[report.number]),
        {"photo": photo(), "note": "现场核查完毕"},
    )
    assert response.status_code == 200, response.content

    # Then the ticket is closed and every step is on its timeline.
    report.refresh_from_db()
    assert report.status == Status.CLOSED
    kinds = list(Event.objects.filter(report=report).values_list("kind", flat=True))
    assert kinds[:2] == ["submitted", "dispatched"]
    assert kinds.count("task_accepted") == 6 and kinds.count("task_done") == 6
    assert kinds[-1] == "closed"
    assert "route_report" in celery_worker_process.log()
