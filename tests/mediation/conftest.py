"""Fixtures of 议事 and 调解: grid A's community committee with one staff member, a routed dispute
ticket in grid A (held by grid A's team), organisations, and uploads.

People: `community_staff` works for grid A's community committee; `worker_a` serves grid A (and
holds the dispute's task); `unit_out` works for a department and must be refused; `worker_far`
serves a grid of another community and must be refused too.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dispatch.actions.routing import route_report
from dispatch.models import Unit, UnitMembership
from grids import actions as grid_actions
from grids.models import Grid
from mediation.models import Organisation
from mediation.seed import seed_organisations
from tests.conftest import make_user
from tests.dispatch.conftest import (  # noqa: F401  (fixtures)
    jpeg,
    photo,
    staff_of,
    submit,
    units,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def committee(units, grid_a):  # noqa: F811
    return Unit.objects.get(community=grid_a.community)


@pytest.fixture
def community_staff(committee):
    user = make_user("13600000001", "社区干部")
    UnitMembership.objects.create(user=user, unit=committee)
    return user


@pytest.fixture
def unit_out(units):  # noqa: F811
    user = make_user("13600000002", "国土局职员")
    UnitMembership.objects.create(user=user, unit=Unit.objects.get(code="GA"))
    return user


@pytest.fixture
def worker_far(yima, grid_a):
    grid = Grid.objects.exclude(community=grid_a.community).order_by("code").first()
    user = make_user("13600000003", "外社区网格员")
    grid_actions.add_grid_member(user=user, grid=grid)
    return user


@pytest.fixture
def organisation(db):
    """The "五老" workshop, with a follow-up visit due the same day (so tests need no clock)."""
    # A transactional test before this one may have flushed what the migration created.
    seed_organisations()
    org = Organisation.objects.get(kind=Organisation.Kind.FIVE_ELDERS)
    org.follow_up_days = 0
    org.save(update_fields=["follow_up_days"])
    return org


@pytest.fixture
def dispute(submit, worker_a):  # noqa: F811
    """邻里纠纷 in grid A, routed to grid A's team (worker_a holds it, still pending)."""
    report = submit("93001")
    route_report(report_id=report.id)
    report.refresh_from_db()
    return report


@pytest.fixture
def upload():
    def _upload(data: bytes | None = None, name="p.jpg", content_type="image/jpeg"):
        return SimpleUploadedFile(
            name, data if data is not None else jpeg(), content_type=content_type
        )

    return _upload
