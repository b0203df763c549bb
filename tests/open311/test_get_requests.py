"""GeoReport v2 GET Service Requests, GET Service Request and tokens: filters, window, errors."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reports.models import Event, Report, Status
from reports.open311 import views
from tests.open311.conftest import file_report, parse_xml

pytestmark = pytest.mark.django_db


def numbers(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [r["service_request_id"] for r in response.json()]


def backdate(report, days: int) -> None:
    Report.objects.filter(id=report.id).update(submitted_at=timezone.now() - timedelta(days=days))


def test_a_request_document_has_the_spec_fields_and_nothing_about_the_reporter(
    client, road, point_a, resident
):
    report = file_report(
        road,
        point_a,
        reporter=resident,
        contact_name="王小明",
        contact_phone="13800000000",
        contact_email="wang@example.com",
        address="千秋路 18 号",
    )
    deadline = timezone.now() + timedelta(days=2)
    Report.objects.filter(id=report.id).update(deadline=deadline)
    response = client.get("/open311/v2/requests.json")
    (document,) = response.json()
    assert set(document) == {
        "service_request_id",
        "status",
        "status_notes",
        "service_name",
        "service_code",
        "description",
        "agency_responsible",
        "service_notice",
        "requested_datetime",
        "updated_datetime",
        "expected_datetime",
        "address",
        "lat",
        "long",
        "media_url",
    }
    assert document["service_request_id"] == report.number
    assert document["status"] == "open"
    assert document["service_code"] == "06013"
    assert document["service_name"] == "道路破损"
    assert document["address"] == "千秋路 18 号"
    assert (document["long"], document["lat"]) == pytest.approx(point_a)
    assert document["expected_datetime"] == timezone.localtime(deadline).isoformat(
        timespec="seconds"
    )
    assert document["requested_datetime"].endswith("+08:00")
    # A signed URL of the photo view (reports/photo_access.py), never a public /media/ path.
    assert document["media_url"].startswith(f"http://testserver/photos/{report.photos.get().id}/")
    body = response.content.decode()
    for private in (
        "王小明",
        "13800000000",
        "wang@example.com",
        resident.phone,
        report.tracking_token,
    ):
        assert private not in body


def test_requests_in_private_categories_never_appear(client, road, gas, point_a):
    public = file_report(road, point_a)
    private = file_report(gas, point_a)
    assert numbers(client.get("/open311/v2/requests.json")) == [public.number]
    ids = f"{public.number},{private.number}"
    assert numbers(client.get(f"/open311/v2/requests.json?service_request_id={ids}")) == [
        public.number
    ]
    assert client.get(f"/open311/v2/requests/{private.number}.json").status_code == 404
    assert client.get(f"/open311/v2/tokens/{private.tracking_token}.json").status_code == 404


def test_the_default_window_is_the_last_90_days(client, road, point_a):
    recent = file_report(road, point_a)
    old = file_report(road, point_a)
    backdate(old, 91)
    assert numbers(client.get("/open311/v2/requests.json")) == [recent.number]


def test_service_request_id_overrides_every_other_argument(client, road, point_a):
    recent = file_report(road, point_a)
    old = file_report(road, point_a)
    backdate(old, 200)
    url = (
        f"/open311/v2/requests.json?service_request_id={old.number}, {recent.number}"
        "&status=closed&service_code=01037"
    )
    assert sorted(numbers(client.get(url))) == sorted([old.number, recent.number])


def test_service_code_filter_takes_a_comma_list(client, road, streetlight, categories, point_a):
    from reports.models import Category

    garbage = Category.objects.by_code("06010")
    a = file_report(road, point_a)
    b = file_report(streetlight, point_a)
    file_report(garbage, point_a)
    got = numbers(client.get("/open311/v2/requests.json?service_code=06013,01037"))
    assert sorted(got) == sorted([a.number, b.number])


def test_status_maps_our_states_to_open_and_closed(client, road, point_a):
    reports = {s: file_report(road, point_a) for s in Status.values}
    for state, report in reports.items():
        Report.objects.filter(id=report.id).update(status=state)
    closed = {reports[Status.CLOSED].number}
    # Rejected reports and duplicates are hidden, as on /public/ (selectors.publicly_visible).
    everything = {
        r.number for s, r in reports.items() if s not in (Status.REJECTED, Status.DUPLICATE)
    }
    assert set(numbers(client.get("/open311/v2/requests.json?status=closed"))) == closed
    assert set(numbers(client.get("/open311/v2/requests.json?status=open"))) == everything - closed
    assert set(numbers(client.get("/open311/v2/requests.json?status=open,closed"))) == everything
    documents = client.get("/open311/v2/requests.json").json()
    by_number = {d["service_request_id"]: d["status"] for d in documents}
    assert by_number[reports[Status.SUSPENDED].number] == "open"  # 挂账: still owed
    assert by_number[reports[Status.CLOSED].number] == "closed"


def test_status_notes_show_the_latest_public_status_change(client, road, point_a):
    report = file_report(road, point_a)
    Event.objects.create(
        report=report,
        kind="closed",
        to_status=Status.CLOSED,
        note="已修复路面",
        public=True,
    )
    Event.objects.create(
        report=report, kind="internal", to_status="", note="内部备注", public=False
    )
    Report.objects.filter(id=report.id).update(status=Status.CLOSED, closed_at=timezone.now())
    (document,) = client.get(f"/open311/v2/requests/{report.number}.json").json()
    assert document["status"] == "closed"
    assert document["status_notes"] == "已修复路面"


def test_agency_responsible_is_the_lead_units_name(client, road, point_a):
    from dispatch.models import Task, Unit

    report = file_report(road, point_a)
    lead = Unit.objects.create(code="JT", name="义马市交通运输局", kind=Unit.Kind.GOVERNMENT)
    helper = Unit.objects.create(code="CG", name="义马市城市管理局", kind=Unit.Kind.GOVERNMENT)
    now = timezone.now()
    for unit, role in ((lead, Task.Role.LEAD), (helper, Task.Role.COOPERATING)):
        Task.objects.create(
            report=report,
            unit=unit,
            role=role,
            level="department",
            hours=72,
            remind_due_at=now,
            deadline=now,
            official_due_at=now,
        )
    (document,) = client.get(f"/open311/v2/requests/{report.number}.json").json()
    assert document["agency_responsible"] == "义马市交通运输局"


def test_date_range_filters_by_requested_datetime(client, road, point_a):
    inside = file_report(road, point_a)
    backdate(inside, 10)
    outside = file_report(road, point_a)
    backdate(outside, 40)
    start = (timezone.now() - timedelta(days=20)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (timezone.now() - timedelta(days=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    url = f"/open311/v2/requests.json?start_date={start}&end_date={end}"
    assert numbers(client.get(url)) == [inside.number]
    # start_date alone covers 90 days from it
    old_start = (timezone.now() - timedelta(days=45)).strftime("%Y-%m-%dT%H:%M:%S%z")
    got = numbers(client.get("/open311/v2/requests.json", {"start_date": old_start}))
    assert sorted(got) == sorted([inside.number, outside.number])


@pytest.mark.parametrize(
    "query, field",
    [
        ("start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z", "end_date"),
        ("start_date=2026-03-01T00:00:00Z&end_date=2026-02-01T00:00:00Z", "start_date"),
        ("start_date=yesterday", "start_date"),
        ("end_date=2026-13-45T00:00:00Z", "end_date"),
        ("status=pending", "status"),
    ],
)
def test_bad_query_arguments_are_400_naming_the_argument(client, categories, query, field):
    response = client.get(f"/open311/v2/requests.json?{query}")
    assert response.status_code == 400
    (error,) = response.json()
    assert error["code"] == 400 and error["description"].startswith(field)


def test_bad_query_argument_in_xml_is_an_errors_document(client, categories):
    response = client.get("/open311/v2/requests.xml?status=nope")
    assert response.status_code == 400
    assert parse_xml(response).findtext("error/code") == "400"


def test_at_most_the_limit_of_requests_is_returned_newest_first(client, road, point_a, monkeypatch):
    monkeypatch.setattr(views, "MAX_REQUESTS", 3)
    made = [file_report(road, point_a) for _ in range(4)]
    for age, report in enumerate(made):
        backdate(report, 4 - age)
    assert numbers(client.get("/open311/v2/requests.json")) == [
        r.number for r in reversed(made[1:])
    ]


def test_the_list_in_xml_has_one_request_element_each(client, road, point_a):
    a = file_report(road, point_a)
    root = parse_xml(client.get("/open311/v2/requests.xml"))
    assert root.tag == "service_requests"
    (request,) = root.findall("request")
    assert request.findtext("service_request_id") == a.number
    assert request.findtext("status") == "open"
    assert request.find("status_notes") is not None  # empty, but present
    assert float(request.findtext("long")) == pytest.approx(point_a[0])


def test_one_request_is_a_list_of_one_and_unknown_is_404(client, road, point_a):
    report = file_report(road, point_a)
    assert numbers(client.get(f"/open311/v2/requests/{report.number}.json")) == [report.number]
    root = parse_xml(client.get(f"/open311/v2/requests/{report.number}.xml"))
    assert [r.findtext("service_request_id") for r in root.findall("request")] == [report.number]
    missing = client.get("/open311/v2/requests/YM000000000000.json")
    assert missing.status_code == 404
    assert missing.json()[0]["code"] == 404


def test_a_token_resolves_to_its_service_request_id(client, road, point_a):
    report = file_report(road, point_a)
    response = client.get(f"/open311/v2/tokens/{report.tracking_token}.json")
    assert response.json() == [
        {"service_request_id": report.number, "token": report.tracking_token}
    ]
    root = parse_xml(client.get(f"/open311/v2/tokens/{report.tracking_token}.xml"))
    assert root.findtext("request/service_request_id") == report.number
    assert client.get("/open311/v2/tokens/nope.json").status_code == 404


def test_xml_stays_well_formed_when_a_description_holds_control_characters(client, road, point_a):
    report = file_report(road, point_a, description="灯\x07坏了 <b>&</b>")
    root = parse_xml(client.get(f"/open311/v2/requests/{report.number}.xml"))
    assert root.findtext("request/description") == "灯坏了 <b>&</b>"
