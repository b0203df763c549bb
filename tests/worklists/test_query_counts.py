"""Every worklist page costs the same number of queries with 10 tickets as with 500."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dispatch.models import Extension, Task, Unit
from reports.models import Category, Report, Status
from tests.dispatch.conftest import point_in

MAX_QUERIES = 40  # session, user, top bar, each queue and its count


def _add_tickets(n: int, *, grid, unit: Unit, person, start: int):
    """n dispatched tickets in the grid, each with a task of the unit (half overdue) and a
    pending extension, so every list and queue grows with n. Bulk rows: the subject here is the
    pages' reads, not the actions."""
    category = Category.objects.by_code("01030")
    now = timezone.now()
    reports = Report.objects.bulk_create(
        Report(
            number=f"YMQ{start + i:09d}",
            status=Status.DISPATCHED,
            category=category,
            lon=point_in(grid)[0],
            lat=point_in(grid)[1],
            grid=grid,
            community_id=grid.community_id,
            street_id=grid.community.street_id,
            submitted_at=now - datetime.timedelta(hours=i + 1),
            dispatched_at=now,
            deadline=now + datetime.timedelta(hours=(i % 2) * 48 - 24),
        )
        for i in range(n)
    )
    tasks = Task.objects.bulk_create(
        Task(
            report=r,
            unit=unit,
            level="department",
            hours=24,
            assigned_at=now,
            remind_due_at=now,
            deadline=r.deadline,
            official_due_at=r.deadline,
        )
        for r in reports
    )
    Extension.objects.bulk_create(
        Extension(task=t, hours=8, reason="材料", requested_by=person) for t in tasks
    )


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("url", "who"),
    [("/work/", "worker"), ("/unit/", "unit"), ("/console/", "dispatcher")],
)
def test_worklist_pages_cost_the_same_queries_at_10_and_at_500_tickets(
    url, who, units, staff_of, grid_a, worker_a, dispatcher, login, django_assert_max_num_queries
):
    person = staff_of("CG")
    unit = Unit.objects.get(code="CG")
    client = login({"worker": worker_a, "unit": person, "dispatcher": dispatcher}[who])

    _add_tickets(10, grid=grid_a, unit=unit, person=person, start=0)
    with django_assert_max_num_queries(MAX_QUERIES):
        at_10 = _count(client, url)
    _add_tickets(490, grid=grid_a, unit=unit, person=person, start=10)
    with django_assert_max_num_queries(MAX_QUERIES):
        at_500 = _count(client, url)
    assert Report.objects.count() == 500
    assert at_10 == at_500
