"""JSON nested deeper than the parsers allow answers 400 with a message, never 500."""

import pytest

from reports import actions
from reports.models import Channel
from tests.reports.conftest import jpeg_bytes

DEEP = "[" * 100_000 + "]" * 100_000
JUST_TOO_DEEP = '{"rating": ' + "[" * 20 + "]" * 20 + "}"


@pytest.fixture
def report(streetlight, point_a):
    return actions.submit_report(
        category=streetlight.code, lon=point_a[0], lat=point_a[1], photos=[jpeg_bytes()]
    )


@pytest.mark.parametrize("body", [DEEP, JUST_TOO_DEEP], ids=["100000 levels", "21 levels"])
@pytest.mark.parametrize("action", ["rate", "support", "reopen"])
def test_deep_json_on_report_actions_is_refused_with_400(client, report, action, body):
    response = client.post(
        f"/api/v1/reports/{report.number}/{action}/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "嵌套过深" in response.json()["detail"]


def test_deep_json_on_machine_events_is_refused_with_400(client, db):
    _key, raw = actions.issue_api_key(
        name="传感器", channel=Channel.CITY_MANAGEMENT, rate="1000/m", actor=None
    )
    response = client.post(
        "/intake/events/", DEEP, content_type="application/json", HTTP_X_API_KEY=raw
    )
    assert response.status_code == 400
    assert "嵌套过深" in response.content.decode()


def test_twenty_levels_are_still_parsed(client, report):
    body = '{"rating": ' + "[" * 19 + "]" * 19 + "}"
    response = client.post(
        f"/api/v1/reports/{report.number}/rate/", body, content_type="application/json"
    )
    assert response.status_code != 500
    assert "嵌套过深" not in response.content.decode()
