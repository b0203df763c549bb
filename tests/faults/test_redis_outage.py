"""Redis (cache, throttles and broker at once) down for 30 s while residents submit reports at a
steady rate: every submission is answered and saved, none gets a 5xx, and every saved report is
routed once Redis is back (the sweep re-rings the doorbells the outage lost)."""

import datetime as dt
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.conf import settings
from django.db.models import F

from dispatch.pipeline import unrouted_reports
from dispatch.tasks import sweep_submitted
from reports.models import Report
from tests.dispatch.conftest import point_in
from tests.dispatch.processes import WebServer, Worker, publishing_to, wait_for
from tests.faults.conftest import photo_jpeg

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

RATE = 2  # submissions a second
DURATION = 45  # seconds
OUTAGE = (8, 38)  # Redis is down from 8 s to 38 s into the run


def test_submissions_through_a_30s_redis_outage_are_answered_saved_and_routed(
    own_redis, units, grid_a
):
    own_redis.start()
    env = {
        "REDIS_URL": own_redis.url,
        "CELERY_BROKER_URL": own_redis.url,
        # One test client stands for many residents: the per-client limit must not be what we measure.
        "ANON_SUBMIT_RATE": "100000/hour",
        "ANON_SUBMIT_GLOBAL_RATE": "100000/minute",
    }
    lon, lat = point_in(grid_a)
    web = WebServer(workers=2, threads=4, extra_env=env).start()
    # (This process pings the worker and rings the sweep's doorbell on our Redis too.)
    publishing = publishing_to(own_redis.url)
    publishing.__enter__()
    worker = Worker(own_redis.url, extra_env={"MEDIA_ROOT": str(settings.MEDIA_ROOT)}).start()
    start = time.monotonic()

    def submit(i: int) -> tuple[int, str | None]:
        time.sleep(max(0.0, start + i / RATE - time.monotonic()))
        try:
            response = requests.post(
                web.url + "/api/v1/reports/",
                data={"category": "01037", "lon": lon, "lat": lat, "description": f"路灯不亮 {i}"},
                files={"photos": (f"p{i}.jpg", photo_jpeg(i), "image/jpeg")},
                headers={"Idempotency-Key": str(uuid.uuid4())},
                timeout=60,
            )
        except requests.RequestException as exc:
            return 599, repr(exc)
        number = response.json().get("number") if response.status_code == 201 else None
        return response.status_code, number or response.text[:300]

    try:
        with ThreadPoolExecutor(max_workers=16) as pool:
            futures = [pool.submit(submit, i) for i in range(RATE * DURATION)]
            time.sleep(max(0.0, start + OUTAGE[0] - time.monotonic()))
            own_redis.stop()
            time.sleep(max(0.0, start + OUTAGE[1] - time.monotonic()))
            own_redis.start()
            results = [f.result() for f in futures]

        # Redis is back: the worker reconnects (or this fails); what the outage lost, the sweep routes.
        worker.wait_ready(timeout=60)
        Report.objects.update(submitted_at=F("submitted_at") - dt.timedelta(minutes=2))
        sweep_submitted.apply_async()
        wait_for(lambda: not unrouted_reports().exists(), timeout=90, what="every report routed")
    finally:
        worker.stop()
        web.stop()
        publishing.__exit__(None, None, None)

    submitted = len(results)
    errors = [r for r in results if r[0] >= 500]
    accepted = [number for code, number in results if code == 201]
    saved = Report.objects.filter(number__in=accepted).count()
    routed = Report.objects.exclude(status="submitted").count()
    print(
        f"\nredis outage: submitted {submitted}, saved {saved}, routed {routed}, 5xx {len(errors)}"
    )
    assert errors == [], errors[:5]
    assert len(accepted) == submitted, [r for r in results if r[0] != 201][:5]
    assert saved == submitted == Report.objects.count()
    assert routed == submitted
