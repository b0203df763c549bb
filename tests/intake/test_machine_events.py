"""POST /intake/events/: machine sources upsert tickets by their own event id."""

import pytest

from reports import actions
from reports.models import Channel, Report, Status

pytestmark = pytest.mark.django_db
URL = "/intake/events/"


def send(client, key, point, **extra):
    payload = {
        "event_id": "CG-2026-000123",
        "service_code": "06013",
        "lat": point[1],
        "long": point[0],
        "description": "视频巡查发现道路破损",
    }
    payload.update(extra)
    headers = {"X-Api-Key": key.raw} if key is not None else {}
    return client.post(URL, payload, content_type="application/json", headers=headers)


def test_the_first_event_files_a_ticket_on_the_sources_channel(client, city_key, road, point_a):
    response = send(client, city_key, point_a)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["created"] is True and body["count"] == 1
    report = Report.objects.get(number=body["service_request_id"])
    assert report.channel == Channel.CITY_MANAGEMENT
    assert report.external_id == "CG-2026-000123"
    assert report.api_key == city_key
    assert not report.photos.exists()


def test_repeats_update_one_ticket_instead_of_filing_more(client, city_key, road, point_a):
    first = send(client, city_key, point_a).json()
    second = send(client, city_key, point_a, description="仍未修复，坑洞扩大")
    third = send(client, city_key, point_a, description="仍未修复，坑洞扩大")
    assert second.status_code == 200 and third.status_code == 200
    assert second.json()["service_request_id"] == first["service_request_id"]
    assert (second.json()["count"], third.json()["count"]) == (2, 3)
    report = Report.objects.get()
    assert report.description == "仍未修复，坑洞扩大"
    repeats = report.events.filter(kind="repeated")
    assert [e.data["count"] for e in repeats] == [2, 3]
    assert all(e.public for e in repeats)


def test_the_same_event_id_from_another_channel_is_another_event(client, city_key, road, point_a):
    emergency, raw = actions.issue_api_key(
        name="应急感知平台", channel=Channel.EMERGENCY, rate="100/m", actor=None
    )
    emergency.raw = raw
    assert send(client, city_key, point_a).status_code == 201
    assert send(client, emergency, point_a).status_code == 201
    assert Report.objects.count() == 2


def test_a_repeat_after_closure_files_a_new_ticket_and_later_repeats_go_to_it(
    client, city_key, road, point_a
):
    first = send(client, city_key, point_a).json()
    Report.objects.filter(number=first["service_request_id"]).update(status=Status.CLOSED)
    again = send(client, city_key, point_a)
    assert again.status_code == 201
    new = Report.objects.get(number=again.json()["service_request_id"])
    assert new.external_id == "CG-2026-000123#2"
    assert (
        new.events.get(kind="machine_event_received").data["previous"]
        == first["service_request_id"]
    )
    later = send(client, city_key, point_a)
    assert later.status_code == 200
    assert later.json()["service_request_id"] == new.number
    assert Report.objects.count() == 2


def test_a_repeat_of_a_rejected_event_is_recorded_without_a_new_ticket(
    client, city_key, road, point_a
):
    first = send(client, city_key, point_a).json()
    Report.objects.filter(number=first["service_request_id"]).update(status=Status.REJECTED)
    again = send(client, city_key, point_a)
    assert again.status_code == 200
    assert again.json()["service_request_id"] == first["service_request_id"]
    assert Report.objects.count() == 1


def test_a_third_party_key_may_not_send_machine_events(client, third_party_key, road, point_a):
    response = send(client, third_party_key, point_a)
    assert response.status_code == 403
    assert not Report.objects.exists()


def test_no_key_or_a_revoked_key_is_403(client, city_key, road, point_a):
    assert send(client, None, point_a).status_code == 403
    actions.revoke_api_key(api_key=city_key, actor=None)
    assert send(client, city_key, point_a).status_code == 403
    assert not Report.objects.exists()


def test_a_source_over_its_rate_gets_429(client, road, point_a):
    key, raw = actions.issue_api_key(
        name="传感器", channel=Channel.EMERGENCY, rate="1/m", actor=None
    )
    key.raw = raw
    assert send(client, key, point_a).status_code == 201
    assert send(client, key, point_a).status_code == 429


@pytest.mark.parametrize(
    "change, field",
    [
        ({"event_id": "has space"}, "event_id"),
        ({"event_id": "a#b"}, "event_id"),
        ({"service_code": "99999"}, "service_code"),
        ({"lat": 39.9, "long": 116.4}, "lat"),
        ({"lat": "north"}, "lat"),
    ],
)
def test_bad_events_are_400_naming_the_field_and_file_nothing(
    client, city_key, road, point_a, change, field
):
    response = send(client, city_key, point_a, **change)
    assert response.status_code == 400
    assert field in response.json()
    assert not Report.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_same_event_arriving_twice_at_once_files_one_ticket(yima, categories, grid_a):
    import threading

    from django.db import connection

    from reports.models import Category
    from tests.open311.conftest import inside

    key, _raw = actions.issue_api_key(
        name="数字城管系统", channel=Channel.CITY_MANAGEMENT, rate="100/m", actor=None
    )
    road = Category.objects.by_code("06013")
    point = inside(grid_a)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def deliver():
        try:
            barrier.wait()
            results.append(
                actions.record_machine_event(
                    api_key=key, event_id="EV-1", category=road, lon=point[0], lat=point[1]
                )
            )
        except Exception as exc:  # reported below, with the thread's own error
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    assert Report.objects.count() == 1
    assert sorted(created for _report, created, _count in results) == [False, True]
    assert {report.id for report, _created, _count in results} == {Report.objects.get().id}
