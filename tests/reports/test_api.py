"""The REST API for the mini-program and the report page's script."""

import uuid

import pytest
from django.utils import timezone

from reports.models import Category, Report, Status
from tests.reports.conftest import OUTSIDE_YIMA, jpeg_bytes
from tests.reports.helpers import form_data, huge_png, nothing_saved, upload

SUBMIT = "/api/v1/reports/"


def submit(client, leaf, where, /, **extra):
    return client.post(SUBMIT, form_data(leaf, where, **extra))


def close(report: Report) -> None:
    # Closing is the dispatch app's action; the test only needs a closed ticket to rate.
    Report.objects.filter(id=report.id).update(status=Status.CLOSED, closed_at=timezone.now())


def test_categories_are_listed_in_two_levels(client, categories):
    data = client.get("/api/v1/categories/").json()
    lights = next(group for group in data if group["code"] == "01")
    assert lights["name"] == "市政公用设施类" and lights["catalogue"] == "matter"
    light = next(c for c in lights["children"] if c["code"] == "01037")
    assert {"name": "路灯异常", "catalogue": "matter"}.items() <= light.items()
    disputes = next(group for group in data if group["code"] == "93")
    assert disputes["catalogue"] == "local"
    assert {"code": "93001", "name": "邻里纠纷", "catalogue": "local"}.items() <= (
        disputes["children"][0].items()
    )
    # Components are things, not problems: the picker offers their matters only.
    assert sum(len(group["children"]) for group in data) == Category.objects.reportable().count()


def test_locate_names_the_grid_or_says_the_point_is_outside_yima(client, point_a, grid_a):
    inside = client.get("/api/v1/reports/locate/", {"lon": point_a[0], "lat": point_a[1]}).json()
    assert inside["inside"] and inside["grid_code"] == grid_a.code
    assert inside["community"] == grid_a.community.name
    outside = client.get(
        "/api/v1/reports/locate/", {"lon": OUTSIDE_YIMA[0], "lat": OUTSIDE_YIMA[1]}
    ).json()
    assert outside["inside"] is False and "不在义马市" in outside["message"]


def test_submit_returns_201_with_number_and_tracking_link(client, streetlight, point_a):
    response = submit(client, streetlight, point_a)
    assert response.status_code == 201
    body = response.json()
    report = Report.objects.get()
    assert body["number"] == report.number
    assert body["tracking_url"].endswith(f"/t/{report.tracking_token}/")


def test_idempotency_key_header_replays_the_first_ticket_with_200(client, streetlight, point_a):
    key = str(uuid.uuid4())
    first = client.post(SUBMIT, form_data(streetlight, point_a), HTTP_IDEMPOTENCY_KEY=key)
    again = client.post(SUBMIT, form_data(streetlight, point_a), HTTP_IDEMPOTENCY_KEY=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["number"] == again.json()["number"]
    assert Report.objects.count() == 1


API_BAD_INPUTS = {
    "non-image named .jpg": ({"photos": [upload(b"GIF? no, plain text")]}, "photos"),
    "truncated jpeg": ({"photos": [upload(jpeg_bytes(size=(800, 600))[:3000])]}, "photos"),
    "20 MB photo": ({"photos": [upload(b"\xff\xd8" + b"0" * (20 * 1024 * 1024))]}, "photos"),
    "30000x30000 png": ({"photos": [upload(huge_png(), "bomb.png", "image/png")]}, "photos"),
    "ten photos": (
        {"photos": [upload(jpeg_bytes(color=(i, 2, 2)), f"p{i}.jpg") for i in range(10)]},
        "photos",
    ),
    "no photo": ({"photos": []}, "photos"),
    "point outside Yima": ({"lon": OUTSIDE_YIMA[0], "lat": OUTSIDE_YIMA[1]}, "location"),
    "no location": ({"lon": "", "lat": ""}, "location"),
    "unknown category": ({"category": "99999"}, "category"),
    # PostgreSQL cannot hold a NUL byte; the driver raised, the resident got a 500 (schemathesis).
    "NUL byte in the category": ({"category": "\x00¯"}, "category"),
    "5000-char description": ({"description": "x" * 5000}, "description"),
    "malformed idempotency key": ({"idempotency_key": "12345"}, "idempotency_key"),
}


@pytest.mark.parametrize("case", API_BAD_INPUTS, ids=list(API_BAD_INPUTS))
def test_bad_input_on_the_api_gets_400_with_a_chinese_field_message_and_saves_nothing(
    client, streetlight, point_a, media_root, case
):
    override, field = API_BAD_INPUTS[case]
    response = submit(client, streetlight, point_a, **override)
    assert response.status_code == 400
    message = response.json()[field][0]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message
    assert nothing_saved(media_root)


def test_malformed_idempotency_header_is_refused(client, streetlight, point_a, media_root):
    response = client.post(
        SUBMIT, form_data(streetlight, point_a), HTTP_IDEMPOTENCY_KEY="not-a-uuid"
    )
    assert response.status_code == 400 and "idempotency_key" in response.json()
    assert nothing_saved(media_root)


def test_anonymous_api_submissions_are_limited_with_429(client, streetlight, point_a, monkeypatch):
    from reports.throttles import AnonSubmitThrottle

    monkeypatch.setattr(AnonSubmitThrottle, "THROTTLE_RATES", {"anon_submit": "1/hour"})
    assert submit(client, streetlight, point_a).status_code == 201
    response = submit(client, streetlight, point_a, photos=[upload(jpeg_bytes(color=(5, 5, 5)))])
    assert response.status_code == 429
    assert "提交过于频繁" in response.json()["detail"]
    assert Report.objects.count() == 1


def test_nearby_lists_open_reports_of_the_same_category_within_250_m(
    client, streetlight, point_a, categories
):
    submit(client, streetlight, point_a)
    near = {"category": streetlight.code, "lon": point_a[0] + 0.002, "lat": point_a[1]}
    found = client.get("/api/v1/reports/nearby/", near).json()
    assert [r["number"] for r in found] == [Report.objects.get().number]
    assert 150 < found[0]["distance_m"] < 250
    far = {**near, "lon": point_a[0] + 0.004}  # ~370 m
    assert client.get("/api/v1/reports/nearby/", far).json() == []
    close(Report.objects.get())
    assert client.get("/api/v1/reports/nearby/", near).json() == []


def test_report_by_number_shows_private_details_only_with_the_token(client, streetlight, point_a):
    body = submit(client, streetlight, point_a, contact_phone="13912345678").json()
    number, token = body["number"], body["tracking_token"]
    public = client.get(f"/api/v1/reports/{number}/").json()
    assert "contact_phone" not in public and public["number"] == number
    private = client.get(f"/api/v1/reports/{number}/", {"token": token}).json()
    assert private["contact_phone"] == "13912345678"
    assert private["timeline"][0]["kind"] == "submitted"


def test_report_in_a_private_category_is_404_without_the_token(client, private_category, point_a):
    number = submit(client, private_category, point_a).json()["number"]
    assert client.get(f"/api/v1/reports/{number}/").status_code == 404


def test_my_reports_lists_only_mine(login, resident, other_resident, streetlight, point_a):
    client = login(resident)
    number = submit(client, streetlight, point_a).json()["number"]
    assert [r["number"] for r in client.get("/api/v1/reports/mine/").json()["results"]] == [number]
    other = login(other_resident)
    assert other.get("/api/v1/reports/mine/").json()["results"] == []


def test_my_reports_needs_a_login(client, db):
    assert client.get("/api/v1/reports/mine/").status_code == 403


def test_rating_an_open_ticket_is_a_409_conflict(client, streetlight, point_a):
    body = submit(client, streetlight, point_a).json()
    response = client.post(
        f"/api/v1/reports/{body['number']}/rate/",
        {"rating": "satisfied", "token": body["tracking_token"]},
    )
    assert response.status_code == 409
    assert "办结后才能评价" in response.json()["detail"]
    assert Report.objects.get().rating == ""


def test_rating_someone_elses_ticket_is_refused(
    login, resident, other_resident, streetlight, point_a
):
    number = submit(login(resident), streetlight, point_a).json()["number"]
    close(Report.objects.get())
    response = login(other_resident).post(
        f"/api/v1/reports/{number}/rate/", {"rating": "unsatisfied", "comment": "x"}
    )
    assert response.status_code == 404
    assert Report.objects.get().rating == ""


def test_reporter_rates_a_closed_ticket_once(login, resident, streetlight, point_a):
    client = login(resident)
    number = submit(client, streetlight, point_a).json()["number"]
    close(Report.objects.get())
    response = client.post(f"/api/v1/reports/{number}/rate/", {"rating": "basically"})
    assert response.status_code == 200 and response.json()["rating"] == "basically"
    again = client.post(f"/api/v1/reports/{number}/rate/", {"rating": "satisfied"})
    assert again.status_code == 409
    assert Report.objects.get().rating == "basically"


def test_unsatisfied_without_a_reason_is_400(client, streetlight, point_a):
    body = submit(client, streetlight, point_a).json()
    close(Report.objects.get())
    response = client.post(
        f"/api/v1/reports/{body['number']}/rate/",
        {"rating": "unsatisfied", "token": body["tracking_token"]},
    )
    assert response.status_code == 400 and "原因" in response.json()["comment"][0]


def test_reopen_request_via_api_needs_the_token_and_a_closed_ticket(
    client, streetlight, point_a, dispatcher
):
    body = submit(client, streetlight, point_a).json()
    url = f"/api/v1/reports/{body['number']}/reopen/"
    token = body["tracking_token"]
    assert client.post(url, {"reason": "没修好", "token": token}).status_code == 409
    close(Report.objects.get())
    assert client.post(url, {"reason": "没修好"}).status_code == 404
    assert client.post(url, {"reason": "没修好", "token": token}).status_code == 200
    assert dispatcher.notifications.filter(kind="reopen_requested").count() == 1


def test_me_too_via_api_counts_once_per_resident(
    login, resident, other_resident, streetlight, point_a
):
    number = submit(login(resident), streetlight, point_a).json()["number"]
    client = login(other_resident)
    assert client.post(f"/api/v1/reports/{number}/support/").status_code == 200
    assert client.post(f"/api/v1/reports/{number}/support/").status_code == 409
    assert Report.objects.get().supporter_count == 1


def test_openapi_schema_has_no_warnings_or_errors_for_the_resident_api(db, capsys):
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    err = capsys.readouterr().err
    assert "reports/api.py" not in err, err
    assert "/api/v1/reports/" in schema["paths"]
    assert (
        "multipart/form-data"
        in schema["paths"]["/api/v1/reports/"]["post"]["requestBody"]["content"]
    )


def test_html_in_the_description_is_stored_and_returned_as_plain_text(client, streetlight, point_a):
    script = "<img src=x onerror=alert(1)>路灯"
    body = submit(client, streetlight, point_a, description=script).json()
    assert Report.objects.get().description == script
    detail = client.get(f"/api/v1/reports/{body['number']}/").json()
    assert detail["description"] == script
    html = client.get(f"/public/{body['number']}/").content.decode()
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
