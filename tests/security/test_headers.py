"""A Content-Security-Policy on every page; pages with tokens or personal data are never stored."""

import re

import pytest
from django.test import Client

from reports import actions
from tests.reports.conftest import jpeg_bytes


@pytest.fixture
def report(streetlight, point_a):
    return actions.submit_report(
        category=streetlight.code,
        lon=point_a[0],
        lat=point_a[1],
        photos=[jpeg_bytes()],
        contact_phone="13912345678",
    )


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    parts = [p.strip().split() for p in header.split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


@pytest.mark.parametrize(
    "url", ["/", "/report/", "/public/", "/accounts/login/", "/api/docs/", "/grids/map/"]
)
def test_every_page_has_a_policy_that_runs_only_our_own_scripts(client, report, url):
    response = client.get(url)
    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    html = response.content.decode()
    # No inline script could run under it: every <script> has a src or holds JSON data.
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert not re.search(r"\son[a-z]+=\"", html), "inline event handler"


def test_the_api_docs_load_swagger_from_our_own_static_files(client, db):
    html = client.get("/api/docs/").content.decode()
    sources = re.findall(r'<script[^>]+src="([^"]+)"', html)
    assert sources and all(s.startswith("/") or s.startswith("?") for s in sources), sources
    assert "cdn" not in html.lower()


def test_the_tracking_page_is_never_stored(client, report):
    response = client.get(f"/t/{report.tracking_token}/")
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control


def test_staff_ticket_pages_and_the_report_form_are_never_stored(report, dispatcher):
    staff = Client()
    staff.force_login(dispatcher, backend="accounts.backends.SlowedDownModelBackend")
    for url in (f"/tickets/{report.number}/", "/console/", "/report/"):
        response = staff.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


def test_the_public_base_map_keeps_its_own_caching(client, db, yima):
    response = client.get("/api/v1/grids/basemap")
    assert "public" in response["Cache-Control"]
