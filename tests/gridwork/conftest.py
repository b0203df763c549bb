"""Fixtures of the 民情 ledger's tests: compounds, a volunteer of grid A, a community's staff."""

import pytest

from dispatch.models import Unit, UnitMembership
from grids import actions as grid_actions
from grids.models import Compound
from gridwork import actions
from tests.conftest import make_user
from tests.dispatch.conftest import (  # noqa: F401  (fixtures)
    jpeg,
    point_in,
    staff_of,
    units,
)


@pytest.fixture(autouse=True)
def plain_static_files(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def compounds(yima):
    grid_actions.seed_demo_compounds()
    return Compound.objects.all()


@pytest.fixture
def compound_a(compounds, grid_a):
    return Compound.objects.filter(grid=grid_a).order_by("code").first()


@pytest.fixture
def volunteer(grid_a, compounds):
    user = make_user("13900000051", "志愿者甲")
    actions.add_volunteer(actor=None, user=user, grid=grid_a, team="民安社区服务队")
    return user


@pytest.fixture
def other_volunteer(grid_a, compounds):
    user = make_user("13900000052", "志愿者乙")
    actions.add_volunteer(actor=None, user=user, grid=grid_a)
    return user


@pytest.fixture
def community_staff(units, grid_a):  # noqa: F811  (the fixture above)
    user = make_user("13900000061", "社区干部")
    UnitMembership.objects.create(user=user, unit=Unit.objects.get(community=grid_a.community))
    return user


@pytest.fixture
def record(grid_a):
    """record(actor, items=[("need", "…")], **extra) → a visit in grid A."""

    def _record(actor, items=(("need", "楼道灯不亮"),), **extra):
        extra.setdefault("kind", "visit")
        extra.setdefault("grid", grid_a)
        return actions.record_visit(actor=actor, items=list(items), **extra)

    return _record
