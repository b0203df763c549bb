"""民情 figures (gridwork.selectors.minqing_figures) on a hand-made history, answers written out.

November 2026, grid A has two compounds (A1, A2) and grid B one (B1); A and B share a community.

| visit | who (role)        | kind   | grid | compound | when   | minutes | items                                   |
| ----- | ----------------- | ------ | ---- | -------- | ------ | ------- | --------------------------------------- |
| v1    | worker_a (worker) | visit  | A    | A1       | Nov 3  | 30      | need settled, dispute settled, hazard → ticket closed Nov 10 |
| v2    | volunteer         | patrol | A    | —        | Nov 5  | 90      | complaint open, dispute open            |
| v3    | volunteer         | visit  | A    | A1       | Oct 20 | 60      | need → ticket closed Nov 2              |
| v4    | worker_b (worker) | visit  | B    | B1       | Nov 8  | 20      | need settled                            |
| v5    | volunteer         | visit  | A    | A2       | Dec 1  | 10      | need open                               |

Grid A in November: visits 1 (v1), patrols 1 (v2); items 5 (v1's three, v2's two): settled 2,
ticketed 1, open 2; disputes 2, settled 1; 民生实事 2 (the tickets of v1 and v3 closed in
November, whenever their item was heard); compounds 2, visited 1 (A1; v2 has none, v5 is in
December); coverage 0.5; volunteer hours 1.5 (v2's 90 minutes; v3 is October).
The community in November adds v4: visits 2, items 6, settled 3, compounds 3, visited 2, coverage
0.6667, volunteer hours still 1.5.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from grids.models import Compound
from gridwork import actions
from gridwork.selectors import minqing_figures
from reports.models import Report, Status

pytestmark = pytest.mark.django_db
ZONE = timezone.get_default_timezone()
NOVEMBER = {"start": dt.date(2026, 11, 1), "end": dt.date(2026, 11, 30)}


def _at(month: int, day: int) -> dt.datetime:
    return dt.datetime(2026, month, day, 10, 0, tzinfo=ZONE)


def _compound(grid, seq: int) -> Compound:
    lon, lat = grid.inside_point()
    return Compound.objects.create(
        code=f"{grid.code}{seq:03d}", name=f"小区{grid.code[-1]}{seq}", grid=grid, lon=lon, lat=lat
    )


def _close(item, month: int, day: int) -> None:
    Report.objects.filter(id=item.ticket_id).update(status=Status.CLOSED, closed_at=_at(month, day))


@pytest.fixture
def history(volunteer, worker_a, worker_b, grid_a, grid_b, units):
    a1, a2, b1 = _compound(grid_a, 901), _compound(grid_a, 902), _compound(grid_b, 901)
    Compound.objects.exclude(id__in=[a1.id, a2.id, b1.id]).delete()

    def visit(actor, kind, grid, compound, when, minutes, items):
        return actions.record_visit(
            actor=actor,
            kind=kind,
            grid=grid,
            compound=compound,
            minutes=minutes,
            items=items,
            happened_at=when,
        )

    v1 = visit(worker_a, "visit", grid_a, a1, _at(11, 3), 30, [("need", "n"), ("dispute", "d"), ("hazard", "h")])  # fmt: skip
    need, dispute, hazard = v1.items.order_by("id")
    actions.settle_item(actor=worker_a, item=need)
    actions.settle_item(actor=worker_a, item=dispute)
    _close(actions.ticket_item(actor=worker_a, item=hazard, category="01037"), 11, 10)
    visit(volunteer, "patrol", grid_a, None, _at(11, 5), 90, [("complaint", "c"), ("dispute", "d2")])  # fmt: skip
    v3 = visit(volunteer, "visit", grid_a, a1, _at(10, 20), 60, [("need", "old")])
    _close(actions.ticket_item(actor=volunteer, item=v3.items.get(), category="01037"), 11, 2)
    v4 = visit(worker_b, "visit", grid_b, b1, _at(11, 8), 20, [("need", "b")])
    actions.settle_item(actor=worker_b, item=v4.items.get())
    visit(volunteer, "visit", grid_a, a2, timezone.now(), 10, [("need", "later")])


@pytest.fixture
def now_in_december(monkeypatch):
    # v5 happens "now": pin now to December 1st so the history reads the same any day.
    december = _at(12, 1)
    monkeypatch.setattr(timezone, "now", lambda: december)


def test_grid_a_in_november(now_in_december, history, grid_a):
    figures = minqing_figures(**NOVEMBER, area={"grid_id": grid_a.id})
    assert figures.as_dict() == {
        "visits": 1,
        "patrols": 1,
        "items_collected": 5,
        "items_settled": 2,
        "items_ticketed": 1,
        "items_open": 2,
        "disputes": 2,
        "disputes_settled": 1,
        "projects_done": 2,
        "compounds": 2,
        "compounds_visited": 1,
        "coverage": 0.5,
        "volunteer_hours": 1.5,
    }


def test_the_community_in_november_adds_grid_b(now_in_december, history, grid_a):
    figures = minqing_figures(**NOVEMBER, area={"community_id": grid_a.community_id})
    assert (figures.visits, figures.patrols, figures.items_collected, figures.items_settled) == (
        2,
        1,
        6,
        3,
    )
    assert (figures.compounds, figures.compounds_visited, figures.coverage) == (3, 2, 0.6667)
    assert (figures.projects_done, figures.volunteer_hours) == (2, 1.5)


def test_october_counts_the_old_visit_but_no_project_yet(now_in_december, history, grid_a):
    figures = minqing_figures(
        start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31), area={"grid_id": grid_a.id}
    )
    assert (figures.visits, figures.items_collected, figures.items_ticketed) == (1, 1, 1)
    assert (figures.projects_done, figures.volunteer_hours, figures.coverage) == (0, 1.0, 0.5)


def test_the_stats_api_and_the_figures_export_carry_them(
    now_in_december, history, grid_a, dispatcher, login
):
    client = login(dispatcher)
    params = {"period": "custom", "start": "2026-11-01", "end": "2026-11-30", "grid": grid_a.code}
    body = client.get(reverse("stats-minqing"), params).json()
    assert (body["items_collected"], body["projects_done"], body["coverage"]) == (5, 2, 0.5)
    export = client.get(reverse("stats:export", args=["figures", "csv"]), params)
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "民情信息收集,5" in text and "民生实事办结,2" in text
    page = client.get(reverse("stats:dashboard"), params).content.decode()
    assert 'data-figure="items_collected"' in page
