"""Migration reports/0005: the demo catalogue's tickets, rules and figures move onto GB/T 47678.5.

Given the database as it was before (reports/0003) with the old catalogue (the copy in
tests/reports/data), the city-wide rules of its CSV, a narrowed rule and one ticket per old 小类,
when the migrations run, then every ticket sits on its new code (same category row), nothing is
left on an old code, the rules and limits moved with their categories, and the demo tickets route
to the units written below.
"""

import csv
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import GRID_A, GRID_B

OLD_CSV = Path(__file__).parent / "data" / "categories_before_gbt47678_5.csv"
BEFORE = [("reports", "0003_thumbnail_names"), ("dispatch", "0003_pipeline_heartbeat")]


def latest_migrations() -> list[tuple[str, str]]:
    """Every app's newest migration: the way back to BEFORE also unapplies what other work built
    on reports/0003 (the check step, call-backs, …), and the models used below need all of it."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    return MigrationLoader(connection).graph.leaf_nodes()


# The live demo tickets (dispatch/demo.py) and a dispute, with their routes worked out by hand
# from the old catalogue's rows: (old code, grid, new catalogue and code, units of the first route).
DEMO = [
    ("06001", GRID_A, ("matter", "06010"), ["G" + GRID_A]),  # grid level → the grid's team
    ("03001", GRID_A, ("matter", "06042"), ["C" + GRID_A[:12]]),  # community → committee
    ("01001", GRID_A, ("matter", "01037"), ["ZJ"]),  # department, the narrowed rule below wins
    ("01001", GRID_B, ("matter", "01037"), ["CG"]),  # …elsewhere the city-wide rule
    ("01005", GRID_B, ("matter", "01030"), ["CG", "DL", "DX", "LT", "YD", "ZJ"]),  # six units
    ("13001", GRID_A, ("local", "93001"), ["G" + GRID_A]),  # 邻里纠纷, a local extension
]


def _old_world(apps):
    from dispatch.seed import seed_units
    from grids import actions as grid_actions

    grid_actions.seed_divisions()
    grid_actions.seed_demo_grids()
    seed_units()
    Category = apps.get_model("reports", "Category")
    Rule = apps.get_model("dispatch", "RoutingRule")
    Unit = apps.get_model("dispatch", "Unit")
    Report = apps.get_model("reports", "Report")
    Grid = apps.get_model("grids", "Grid")
    units = {u.code: u for u in Unit.objects.all()}
    categories = {}
    with open(OLD_CSV, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        categories[row["code"]] = Category.objects.create(
            code=row["code"],
            name=row["name"],
            parent=categories.get(row["parent_code"]),
            kind=row["kind"],
            handling_level=row["handling_level"],
            sla_working_hours=int(row["sla_working_hours"]) if row["sla_working_hours"] else None,
            urgent=row["urgent"] == "y",
            public=row["public"] != "n",
        )
        if row["lead"]:
            rule = Rule.objects.create(
                category=categories[row["code"]], lead_unit=units[row["lead"]]
            )
            rule.cooperating_units.set([units[c] for c in row["cooperating"].split(";") if c])
    grids = {g.code: g for g in Grid.objects.filter(code__in=[GRID_A, GRID_B])}
    Rule.objects.create(category=categories["01001"], grid=grids[GRID_A], lead_unit=units["ZJ"])
    n = 0

    def file(code, grid, status="closed"):
        nonlocal n
        n += 1
        return Report.objects.create(
            number=f"YM20261201{n:04d}",
            status=status,
            category=categories[code],
            lon=111.9,
            lat=34.74,
            grid=grid,
            community=grid.community,
            street=grid.community.street,
        )

    leaves = [row["code"] for row in rows if row["parent_code"]]
    for code in leaves:  # one closed ticket on every old 小类
        file(code, grids[GRID_A])
    demo = [file(code, grids[grid], "submitted").number for code, grid, _new, _units in DEMO]
    return categories, leaves, demo


@pytest.mark.django_db(transaction=True)
def test_demo_tickets_rules_and_figures_move_onto_the_standards_codes(migrator):
    old = migrator.apply_initial_migration(BEFORE)
    categories, leaves, demo = _old_world(old.apps)
    OldReport = old.apps.get_model("reports", "Report")
    OldRule = old.apps.get_model("dispatch", "RoutingRule")
    before_rules = {
        (r.category_id, r.grid_id): (
            r.lead_unit.code,
            sorted(u.code for u in r.cooperating_units.all()),
        )
        for r in OldRule.objects.all()
    }
    before_tickets = Counter(OldReport.objects.values_list("category_id", flat=True))
    before_settings = {
        c.id: (c.handling_level, c.sla_working_hours, c.urgent, c.public)
        for c in categories.values()
    }

    migrator.apply_tested_migration(latest_migrations())

    # Every old row is on its new code, as written in the migration's mapping.
    from importlib import import_module

    from dispatch import routing
    from dispatch.models import RoutingRule
    from reports.models import CatalogueEdition, Category, Report

    mapping = import_module("reports.migrations.0005_categories_onto_gbt47678_5").MAPPING
    expected = {old: (catalogue, new) for old, _name, catalogue, new in mapping}
    local = {"11": "91", "12": "92", "13": "93"}
    for old_code, old_row in categories.items():
        row = Category.objects.get(id=old_row.id)
        want = expected.get(old_code) or ("local", local[old_code[:2]] + old_code[2:])
        assert (row.catalogue, row.code) == want, old_code
        assert (
            row.handling_level,
            row.sla_working_hours,
            row.urgent,
            row.public,
        ) == before_settings[row.id]
    assert not Category.objects.filter(catalogue="legacy").exists()
    # Nothing is left on an old code: every ticket's category is national or local, 1:1 with before.
    assert Counter(Report.objects.values_list("category_id", flat=True)) == before_tickets
    assert set(Report.objects.values_list("category__catalogue", flat=True)) == {"matter", "local"}
    # 01001 / 01005 now mean 供水井盖异常 / 电力井盖异常, which no old category became.
    assert Report.objects.filter(category__code__in=["01001", "01005"]).count() == 0
    # The rules moved with their categories, the narrowed one too.
    after_rules = {
        (r.category_id, r.grid_id): (
            r.lead_unit.code,
            sorted(u.code for u in r.cooperating_units.all()),
        )
        for r in RoutingRule.objects.all()
    }
    assert after_rules == before_rules
    # The standard's entries are all there, exactly, under the current edition.
    edition = CatalogueEdition.objects.get(is_current=True)
    assert edition.name == "GB/T 47678.5-2026"
    assert Category.objects.filter(catalogue="component", parent__isnull=False).count() == 153
    assert Category.objects.filter(catalogue="matter", parent__isnull=False).count() == 250
    assert Category.objects.by_code("01037").name == "路灯异常"
    assert Category.objects.by_code("06042").parent.code == "06"
    assert Category.objects.by_code("06013").parent.name == "市容环境类"
    # The demo tickets route to the same units as before, on their new codes.
    for number, (_old, _grid, (catalogue, code), units) in zip(demo, DEMO, strict=True):
        report = Report.objects.select_related("category__parent").get(number=number)
        assert (report.category.catalogue, report.category.code) == (catalogue, code)
        plan = routing.plan(report)
        assert [unit.code for unit, _role in plan.units] == units, code
    # A dispute is still a dispute for 化解率.
    assert Category.objects.by_code("93001").kind == Category.Kind.DISPUTE
    migrator.reset()
