"""PostgreSQL terminating the web servers' connections (a restart, a failover, an administrator's
pg_terminate_backend) costs no request a 500: persistent connections are health-checked before
a request uses them (CONN_HEALTH_CHECKS)."""

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.core.cache import cache
from django.db import connection

from tests.dispatch.conftest import point_in
from tests.dispatch.processes import WebServer
from tests.faults.conftest import photo_jpeg

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

PAGES = ("/public/", "/transparency/", "/api/v1/categories/", "/readyz", "/report/")


def terminate_backends() -> int:
    """End every other connection to the test database (this test's database only)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_terminated_backends_between_requests_cost_no_5xx(units, submit, grid_a):
    cache.clear()  # the anonymous submission limit counts in this run's Redis
    submit("01030")  # something for the public pages to read
    lon, lat = point_in(grid_a)
    web = WebServer(workers=2, threads=4).start()
    statuses: list[tuple[str, int]] = []

    def get(path: str) -> tuple[str, int]:
        return path, requests.get(web.url + path, timeout=30).status_code

    def post(seed: int) -> tuple[str, int]:
        response = requests.post(
            web.url + "/api/v1/reports/",
            data={"category": "01037", "lon": lon, "lat": lat, "description": "路灯不亮"},
            files={"photos": (f"p{seed}.jpg", photo_jpeg(seed), "image/jpeg")},
            headers={"Idempotency-Key": str(uuid.uuid4())},
            timeout=30,
        )
        return "POST /api/v1/reports/", response.status_code

    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            for round_ in range(3):
                # Every thread of both workers opens (and keeps) its connection…
                statuses += pool.map(get, PAGES * 8)
                # …the database ends them all…
                assert terminate_backends() >= 1
                # …and the next requests, on every thread, find out before using them.
                statuses += pool.map(get, PAGES * 8)
                statuses += pool.map(post, range(round_ * 4, round_ * 4 + 4))
    finally:
        web.stop()
    failures = [(path, code) for path, code in statuses if code >= 500]
    assert failures == [], web.log()[-3000:]
    assert len(statuses) == 3 * (2 * len(PAGES) * 8 + 4)
    assert {code for path, code in statuses if path.startswith("POST")} == {201}
