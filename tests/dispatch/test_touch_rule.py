"""Every action that changes a task touches its ticket (dispatch.actions.bookkeeping.save_task),
so the figures' incremental refresh, which reads Report.updated_at, sees the change: returning
one task of a six-unit ticket moves 退单率 at the next refresh, although the ticket's own state
(still 已派遣, five units at work) does not change."""

import datetime as dt

import pytest
from django.utils import timezone

from dispatch.actions.unit_work import return_task
from reports.models import Report, Status
from stats import rollup, selectors
from stats.filters import Period, parse_scope

pytestmark = pytest.mark.django_db


def today_figures():
    today = timezone.localdate()
    return selectors.figures(Period("custom", today, today), parse_scope({"channel": ""}))


def test_returning_one_task_of_six_moves_the_return_rate_at_the_next_refresh(pole):
    report, tasks, people = pole
    # The ticket was last changed an hour ago, and the store has read it since.
    an_hour_ago = timezone.now() - dt.timedelta(hours=1)
    Report.objects.filter(id=report.id).update(updated_at=an_hour_ago)
    rollup.refresh_recent()
    before = today_figures()
    assert (before.tasks, before.returned_tasks, before.return_rate) == (6, 0, 0.0)

    return_task(task=tasks["ZJ"], actor=people["ZJ"], reason="不属于本单位职责")

    report.refresh_from_db()
    assert report.status == Status.DISPATCHED  # the ticket's own state did not move…
    assert report.updated_at > an_hour_ago  # …but it was touched
    rollup.refresh_recent()
    after = today_figures()
    assert (after.tasks, after.returned_tasks) == (6, 1)
    assert after.return_rate == pytest.approx(1 / 6, abs=1e-4)
