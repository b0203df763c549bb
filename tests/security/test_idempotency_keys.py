"""Idempotency keys come from the submitter's own request, never the URL; an anonymous replay
from another browser session gets the number but not the tracking token."""

import re
import uuid

from django.test import Client

from reports.models import Report
from tests.reports.helpers import form_data

KEY_FIELD = re.compile(r'name="idempotency_key" value="([^"]*)"')


def page_key(client, url="/report/") -> str:
    return KEY_FIELD.search(client.get(url).content.decode()).group(1)


def test_a_key_in_the_url_is_not_put_into_the_form(client, db):
    planted = str(uuid.uuid4())
    key = page_key(client, f"/report/?idempotency_key={planted}")
    assert key and key != planted
    uuid.UUID(key)


def test_a_planted_link_does_not_hand_the_victims_token_to_its_author(
    streetlight, point_a, media_root
):
    planted = str(uuid.uuid4())
    victim = Client()
    key = page_key(victim, f"/report/?idempotency_key={planted}")
    filed = victim.post(
        "/report/",
        form_data(streetlight, point_a, idempotency_key=key, contact_phone="13912345678"),
    )
    assert filed.status_code == 302
    report = Report.objects.get()
    attacker = Client()
    for guess in (planted, key):
        response = attacker.post(
            "/api/v1/reports/", form_data(streetlight, point_a), HTTP_IDEMPOTENCY_KEY=guess
        )
        body = response.json()
        assert report.tracking_token not in response.content.decode()
        if guess == key:
            # Even with the real key (leaked some other way): the number, not the token.
            assert response.status_code == 200
            assert body["number"] == report.number
            assert body["tracking_token"] is None and body["tracking_url"] is None
    assert Report.objects.count() == 2  # the planted key was nobody's: a new report of its own


def test_an_anonymous_replay_through_the_form_from_another_session_shows_only_the_number(
    streetlight, point_a
):
    victim = Client()
    key = page_key(victim)
    victim.post("/report/", form_data(streetlight, point_a, idempotency_key=key))
    report = Report.objects.get()
    other = Client()
    response = other.post("/report/", form_data(streetlight, point_a, idempotency_key=key))
    assert response.status_code == 200
    html = response.content.decode()
    assert report.number in html and report.tracking_token not in html
    assert Report.objects.count() == 1


def test_a_retry_from_the_same_browser_gets_its_tracking_link_back(streetlight, point_a):
    browser = Client()
    key = page_key(browser)
    # The page's script sends the key as a header to the API.
    first = browser.post(
        "/api/v1/reports/", form_data(streetlight, point_a), HTTP_IDEMPOTENCY_KEY=key
    )
    again = browser.post(
        "/api/v1/reports/", form_data(streetlight, point_a), HTTP_IDEMPOTENCY_KEY=key
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["tracking_token"] == first.json()["tracking_token"]
    assert Report.objects.count() == 1


def test_an_app_retrying_with_its_own_key_in_its_session_gets_the_token_back(streetlight, point_a):
    app = Client()
    key = str(uuid.uuid4())
    first = app.post("/api/v1/reports/", form_data(streetlight, point_a), HTTP_IDEMPOTENCY_KEY=key)
    again = app.post("/api/v1/reports/", form_data(streetlight, point_a), HTTP_IDEMPOTENCY_KEY=key)
    assert again.status_code == 200
    assert again.json()["tracking_token"] == first.json()["tracking_token"]
