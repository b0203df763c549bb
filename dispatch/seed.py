"""Units and routing rules from dispatch/data/departments.csv, reports' categories.csv and the
divisions; demo unit staff. Idempotent: what exists (maybe edited by an administrator) is kept."""

import csv
from pathlib import Path

from django.db import transaction

from accounts.models import User
from dispatch.models import RoutingRule, Unit, UnitMembership
from grids.demo_people import DEMO_PASSWORD
from grids.models import Community, Grid, Street
from reports.models import Category
from reports.seed import read_categories

DEPARTMENTS_CSV = Path(__file__).resolve().parent / "data" / "departments.csv"


def unit_code_for_street(street: Street) -> str:
    return f"S{street.code}"


def unit_code_for_community(community: Community) -> str:
    return f"C{community.code}"


def unit_code_for_grid(grid: Grid) -> str:
    return f"G{grid.code}"


@transaction.atomic
def seed_units() -> int:
    """Departments, utilities and telecoms from the CSV; one office per 街道, one committee per
    社区, one team per grid. Returns how many units were created."""
    existing = set(Unit.objects.values_list("code", flat=True))
    created = 0
    with open(DEPARTMENTS_CSV, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:  # parents come first in the file
        if row["code"] in existing:
            continue
        parent = (
            Unit.objects.filter(code=row["parent_code"]).first() if row["parent_code"] else None
        )
        Unit.objects.create(code=row["code"], name=row["name"], kind=row["kind"], parent=parent)
        existing.add(row["code"])
        created += 1
    offices = {}
    for street in Street.objects.all():
        code = unit_code_for_street(street)
        if code not in existing:
            Unit.objects.create(
                code=code, name=f"{street.name}办事处", kind=Unit.Kind.STREET, street=street
            )
            created += 1
        offices[street.id] = Unit.objects.get(code=code)
    committees = {}
    for community in Community.objects.all():
        code = unit_code_for_community(community)
        if code not in existing:
            Unit.objects.create(
                code=code,
                name=community.name,
                kind=Unit.Kind.COMMUNITY,
                community=community,
                parent=offices.get(community.street_id),
            )
            created += 1
        committees[community.id] = Unit.objects.get(code=code)
    teams = [
        Unit(
            code=unit_code_for_grid(grid),
            name=grid.name,
            kind=Unit.Kind.GRID,
            grid=grid,
            parent=committees.get(grid.community_id),
        )
        for grid in Grid.objects.exclude(team__isnull=False)
        if unit_code_for_grid(grid) not in existing
    ]
    Unit.objects.bulk_create(teams)
    return created + len(teams)


@transaction.atomic
def seed_rules() -> int:
    """One city-wide rule per category that names a lead unit in categories.csv, unless the
    category already has a city-wide rule. Returns how many were created."""
    units = {u.code: u for u in Unit.objects.all()}
    categories = {(c.catalogue, c.code): c for c in Category.objects.all()}
    city_wide = set(
        RoutingRule.objects.filter(street=None, community=None, grid=None).values_list(
            "category_id", flat=True
        )
    )
    created = 0
    for row in read_categories():
        category = categories.get((row["catalogue"], row["code"]))
        lead = units.get(row["lead"])
        if category is None or lead is None or category.id in city_wide:
            continue
        rule = RoutingRule.objects.create(category=category, lead_unit=lead)
        cooperating = [units[c] for c in row["cooperating"].split(";") if c in units]
        rule.cooperating_units.set(cooperating)
        created += 1
    return created


# phone, name, unit code, role
DEMO_STAFF = [
    ("13800000201", "城管 周工", "CG", UnitMembership.Role.STAFF),
    ("13800000202", "城管 负责人 吴科长", "CG", UnitMembership.Role.HEAD),
    ("13800000203", "住建 郑工", "ZJ", UnitMembership.Role.STAFF),
    ("13800000204", "供电 王师傅", "DL", UnitMembership.Role.STAFF),
    ("13800000205", "移动 冯工", "YD", UnitMembership.Role.STAFF),
    ("13800000206", "联通 陈工", "LT", UnitMembership.Role.STAFF),
    ("13800000207", "电信 褚工", "DX", UnitMembership.Role.STAFF),
    ("13800000208", "民安社区 卫主任", "C411281001001", UnitMembership.Role.HEAD),
]


@transaction.atomic
def ensure_demo_unit_staff() -> list[tuple[str, str]]:
    """Demo people for the units (password grids.demo_people.DEMO_PASSWORD); returns the logins."""
    units = {u.code: u for u in Unit.objects.filter(code__in=[s[2] for s in DEMO_STAFF])}
    logins = []
    for phone, name, code, role in DEMO_STAFF:
        unit = units.get(code)
        if unit is None:
            continue
        user = User.objects.filter(phone=phone).first()
        if user is None:
            user = User.objects.create_user(phone, DEMO_PASSWORD, name=name)
        UnitMembership.objects.get_or_create(user=user, unit=unit, defaults={"role": role})
        logins.append((phone, f"{name}（{unit.name}）"))
    return logins
