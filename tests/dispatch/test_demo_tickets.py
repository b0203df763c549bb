"""`make demo` leaves live work for every demo login: open tickets filed and routed through the
real actions in the demo grid workers' grids."""

import io

import pytest
from django.core.management import call_command

from accounts.models import User
from dispatch.models import Task
from reports.models import Report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def seed() -> str:
    out = io.StringIO()
    call_command("seed_yima", "--history", "0", stdout=out)
    return out.getvalue()


def page_as(client, phone: str, path: str) -> str:
    client.force_login(
        User.objects.get(phone=phone), backend="accounts.backends.SlowedDownModelBackend"
    )
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_demo_seed_files_and_routes_live_tickets_for_every_demo_role(client):
    output = seed()
    assert "live demo tickets: 4 filed and routed" in output
    live = Report.objects.filter(reporter__phone="13800000101")
    assert live.count() == 4
    assert set(live.values_list("status", flat=True)) == {"dispatched"}
    pole = live.get(category__code="01030")
    assert Task.objects.filter(report=pole).count() == 6

    grid_ticket = live.get(category__code="06010")
    assert grid_ticket.number in page_as(client, "13800000011", "/work/")  # grid worker A
    streetlight = live.get(category__code="01037")
    assert streetlight.number in page_as(client, "13800000201", "/unit/")  # 城管 staff
    bins = live.get(category__code="06042")
    assert bins.number in page_as(client, "13800000208", "/unit/")  # 民安社区 committee


def test_seeding_again_files_no_more_live_tickets():
    seed()
    output = seed()
    assert "live demo tickets: 0 filed and routed" in output
    assert Report.objects.filter(reporter__phone="13800000101").count() == 4
