"""Scoped officials: a 街道 leader sees their 街道 (dashboard, API, exports, overdue list, ticket
pages) and is refused every other area; city officials see the city. Officials in scope are told
when a task joins the 200% list. On the hand-made history of tests/stats/conftest.py: T1–T7 lie
in 千秋路街道 (411281001), T8 in 朝阳路街道 (411281002); T5 and T6 are not accepted."""

import csv
import io

import pytest

from dispatch.actions.routing import route_report
from dispatch.actions.watch import watch_deadlines
from grids.actions import appoint_street_leader
from grids.models import GridEvent, Street
from reports.actions import submit_report
from stats import rollup
from tests.conftest import make_user
from tests.dispatch.conftest import point_in

pytestmark = pytest.mark.django_db

MARCH = "period=custom&start=2025-03-01&end=2025-03-31"
QIANQIU, CHAOYANG = "411281001", "411281002"


@pytest.fixture
def store(history):
    rollup.refresh_recent()
    return history


def leader_of(code: str, phone: str):
    user = make_user(phone, f"{code} 街道领导", is_official=True)
    appoint_street_leader(user=user, street=Street.objects.get(code=code))
    return user


@pytest.fixture
def qianqiu_leader(yima):
    return leader_of(QIANQIU, "13900000051")


@pytest.fixture
def chaoyang_leader(yima):
    return leader_of(CHAOYANG, "13900000052")


def test_the_appointment_is_recorded(qianqiu_leader):
    event = GridEvent.objects.get(kind="street_leader_appointed")
    assert event.detail["user"] == qianqiu_leader.phone and event.detail["street"] == QIANQIU


def test_a_street_leader_sees_their_street_by_default_and_the_city_official_the_city(
    login, store, qianqiu_leader, chaoyang_leader, official
):
    own = login(qianqiu_leader).get(f"/api/v1/stats/figures?{MARCH}").json()
    assert own["scope"]["level"] == "street" and own["scope"]["code"] == QIANQIU
    assert own["figures"]["received"] == 5  # T1 T2 T3 T4 T7
    other = login(chaoyang_leader).get(f"/api/v1/stats/figures?{MARCH}").json()
    assert other["figures"]["received"] == 1  # T8
    city = login(official).get(f"/api/v1/stats/figures?{MARCH}").json()
    assert city["scope"]["level"] == "city" and city["figures"]["received"] == 6


def test_a_street_leader_may_narrow_inside_their_street(login, store, qianqiu_leader, grid_a):
    client = login(qianqiu_leader)
    response = client.get(f"/api/v1/stats/figures?{MARCH}&grid={grid_a.code}")
    assert response.status_code == 200 and response.json()["scope"]["level"] == "grid"


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/stats/figures?{MARCH}&street={CHAOYANG}",
        f"/api/v1/stats/dashboard?{MARCH}&street={CHAOYANG}",
        f"/api/v1/stats/overdue?street={CHAOYANG}",
        f"/api/v1/stats/figures?{MARCH}&grid=411281002001001",
        f"/dashboard/?{MARCH}&street={CHAOYANG}",
        f"/dashboard/export/tickets.csv?{MARCH}&street={CHAOYANG}",
        f"/dashboard/export/figures.xlsx?{MARCH}&street={CHAOYANG}",
    ],
)
def test_a_street_leader_is_refused_another_street(login, store, qianqiu_leader, url):
    response = login(qianqiu_leader).get(url)
    assert response.status_code == 403
    assert store[8].number not in response.content.decode()


def test_the_street_leaders_export_and_dashboard_hold_only_their_street(
    login, store, qianqiu_leader
):
    client = login(qianqiu_leader)
    response = client.get(f"/dashboard/export/tickets.csv?{MARCH}")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    numbers = {row[0] for row in rows[1:]}
    assert store[1].number in numbers and store[8].number not in numbers
    page = client.get(f"/dashboard/?{MARCH}").content.decode()
    assert "千秋路街道" in page and "朝阳路街道" not in page


def test_ticket_pages_follow_the_street(login, store, qianqiu_leader, official):
    client = login(qianqiu_leader)
    assert client.get(f"/tickets/{store[1].number}/").status_code == 200
    assert client.get(f"/tickets/{store[8].number}/").status_code == 404
    assert login(official).get(f"/tickets/{store[8].number}/").status_code == 200


def test_officials_in_scope_are_told_when_a_task_joins_the_200_percent_list(
    units, grid_a, qianqiu_leader, chaoyang_leader, official
):
    lon, lat = point_in(grid_a)  # 千秋路街道
    report = submit_report(
        category="01037", lon=lon, lat=lat, description="路灯不亮", require_photo=False
    )
    (task,) = route_report(report_id=report.id)
    assert watch_deadlines(now=task.official_due_at)["official"] == 1
    kind = "task_listed_for_officials"
    assert official.notifications.filter(kind=kind).count() == 1
    assert qianqiu_leader.notifications.filter(kind=kind).count() == 1
    assert chaoyang_leader.notifications.filter(kind=kind).count() == 0
