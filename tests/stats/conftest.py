"""A small hand-made history whose figures are worked out by hand in test_figures.py.

Times are Asia/Shanghai in March 2025 (no holidays): a working day is 08:00–12:00 and 14:30–18:00,
7.5 working hours. Reports and tasks are test data written directly, like a fixture file.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from dispatch import seed as dispatch_seed
from dispatch.models import Task, Unit
from grids.models import Grid
from reports.models import Category, Report

SH = ZoneInfo("Asia/Shanghai")
OTHER_STREET_GRID = "411281002001001"


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2025, 3, day, hour, minute, tzinfo=SH)


@pytest.fixture
def units(yima, categories):
    dispatch_seed.seed_units()
    dispatch_seed.seed_rules()
    return {u.code: u for u in Unit.objects.all()}


_numbers = iter(range(1, 10_000))


def make_report(grid: Grid, category: str, **fields) -> Report:
    return Report.objects.create(
        number=f"T2025{next(_numbers):06d}",
        category=Category.objects.by_code(category),
        lon=grid.inside_point()[0],
        lat=grid.inside_point()[1],
        grid=grid,
        community=grid.community,
        street=grid.community.street,
        **fields,
    )


def make_task(report: Report, unit: Unit, **fields) -> Task:
    deadline = fields.pop("deadline", report.deadline or report.submitted_at)
    fields.setdefault("level", unit.level)
    return Task.objects.create(
        report=report,
        unit=unit,
        hours=24,
        assigned_at=report.dispatched_at or report.submitted_at,
        remind_due_at=deadline,
        deadline=deadline,
        official_due_at=deadline,
        **fields,
    )


@pytest.fixture
def history(grid_a, units):
    """Eight tickets; see test_figures.py for the expected figures."""
    other = Grid.objects.get(code=OTHER_STREET_GRID)
    team = units[f"G{grid_a.code}"]
    t = {}
    t[1] = make_report(
        grid_a,
        "06010",
        channel="web",
        status="closed",
        submitted_at=at(3, 9),
        dispatched_at=at(3, 9, 30),
        accepted_at=at(3, 10, 30),
        handled_at=at(3, 17),
        closed_at=at(4, 9),
        deadline=at(5, 9),
        handled_level="grid",
        rating="satisfied",
        rated_at=at(4, 12),
    )
    make_task(t[1], team, status="done", accepted_at=at(3, 10, 30), done_at=at(3, 17))
    t[2] = make_report(
        grid_a,
        "01037",
        channel="hotline",
        status="closed",
        submitted_at=at(3, 10),
        dispatched_at=at(3, 10),
        accepted_at=at(3, 11),
        handled_at=at(7, 9),
        closed_at=at(7, 10),
        deadline=at(5, 10),
        handled_level="department",
        rating="unsatisfied",
        reopened_count=1,
    )
    make_task(t[2], units["ZJ"], status="returned", closed_at=at(3, 10, 30))
    make_task(t[2], units["CG"], status="done", extended_hours=8, done_at=at(7, 9))
    t[3] = make_report(
        grid_a,
        "93001",
        channel="patrol",
        status="closed",
        submitted_at=at(4, 8),
        dispatched_at=at(4, 8),
        accepted_at=at(4, 8, 30),
        handled_at=at(4, 16),
        closed_at=at(4, 17),
        deadline=at(10, 8),
        handled_level="community",
        dispute_settled=True,
        rating="basically",
    )
    make_task(t[3], units["SF"], status="done", done_at=at(4, 16))
    t[4] = make_report(
        grid_a,
        "93001",
        channel="web",
        status="processing",
        submitted_at=at(5, 9),
        dispatched_at=at(5, 9),
        accepted_at=at(5, 11),
        deadline=at(6, 9),
        handled_level="grid",
    )
    make_task(t[4], team, status="accepted", accepted_at=at(5, 11))
    t[5] = make_report(grid_a, "06010", channel="web", status="rejected", submitted_at=at(5, 10))
    t[6] = make_report(grid_a, "06010", channel="web", status="duplicate", submitted_at=at(5, 11))
    t[7] = make_report(
        grid_a,
        "01037",
        channel="web",
        status="suspended",
        submitted_at=at(6, 9),
        dispatched_at=at(6, 9),
        deadline=at(7, 9),
        handled_level="department",
    )
    make_task(t[7], units["CG"], status="pending")
    t[8] = make_report(
        other,
        "01037",
        channel="web",
        status="closed",
        submitted_at=at(6, 14, 30),
        dispatched_at=at(6, 14, 30),
        accepted_at=at(6, 15),
        handled_at=at(6, 16),
        closed_at=at(6, 16, 30),
        deadline=at(7, 14, 30),
        handled_level="department",
    )
    make_task(t[8], units["CG"], status="done", done_at=at(6, 16), deadline=at(7, 14, 30))
    return t
