"""Units and rules come with `manage.py seed_yima`; running it again changes nothing."""

import io

import pytest
from django.core.management import call_command

from dispatch import membership
from dispatch.models import RoutingRule, Unit, UnitMembership
from grids.models import Community, Grid, Street

pytestmark = pytest.mark.django_db


def seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_yima", "--history", "0", *args, stdout=out)
    return out.getvalue()


def test_seed_creates_every_kind_of_unit_and_the_city_wide_rules():
    seed("--no-demo")
    assert Unit.objects.filter(kind=Unit.Kind.STREET).count() == Street.objects.count() == 7
    assert Unit.objects.filter(kind=Unit.Kind.COMMUNITY).count() == Community.objects.count()
    assert Unit.objects.filter(kind=Unit.Kind.GRID).count() == Grid.objects.count() == 214
    assert Unit.objects.get(code="HW").parent.code == "CG"
    assert Unit.objects.filter(kind=Unit.Kind.TELECOM).count() == 3
    pole = RoutingRule.objects.get(category__code="01030", grid=None, community=None, street=None)
    assert pole.lead_unit.code == "CG"
    assert set(pole.cooperating_units.values_list("code", flat=True)) == {
        "ZJ",
        "DL",
        "YD",
        "LT",
        "DX",
    }
    assert not UnitMembership.objects.exists()


def test_seeding_twice_keeps_an_administrators_edits():
    seed("--no-demo")
    Unit.objects.filter(code="CG").update(name="义马市城市管理综合执法局")
    units, rules = Unit.objects.count(), RoutingRule.objects.count()
    output = seed("--no-demo")
    assert "units: 0 created; routing rules: 0 created" in output
    assert (Unit.objects.count(), RoutingRule.objects.count()) == (units, rules)
    assert Unit.objects.get(code="CG").name == "义马市城市管理综合执法局"


def test_demo_seed_creates_unit_staff_and_prints_their_logins():
    output = seed()
    assert "13800000202" in output
    head = UnitMembership.objects.get(user__phone="13800000202")
    assert (head.unit.code, head.role) == ("CG", UnitMembership.Role.HEAD)
    assert "unit_staff" in head.user.roles
    # The demo grid worker is a member of grid A's team through the grid, not a copied row.
    team = Unit.objects.get(code="G411281001001001")
    assert "13800000011" in set(membership.members(team).values_list("phone", flat=True))
    seed()
    assert UnitMembership.objects.filter(user__phone="13800000202").count() == 1
