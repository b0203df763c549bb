"""/healthz says the process answers; /readyz says its database and broker are reachable."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from kombu import Connection


def healthz(request):
    return JsonResponse({"status": "ok"})


def _check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "not ready"
        return f"{type(exc).__name__}: {exc}".strip()
    return None


def _check_broker() -> str | None:
    url = settings.CELERY_BROKER_URL
    try:
        with Connection(
            url, transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS, connect_timeout=2
        ) as conn:
            # One quick retry: a probe must answer well within its own timeout when Redis is down.
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0.2, timeout=2)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}".strip()
    return None


def readyz(request):
    failures = {}
    if problem := _check_database():
        failures["database"] = problem
    if problem := _check_broker():
        failures["broker"] = problem
    if failures:
        return JsonResponse({"status": "unavailable", "failing": failures}, status=503)
    return JsonResponse({"status": "ok"})


def pipeline(request):
    """Is routing moving? 503 naming what is stalled (see dispatch.pipeline). Kept apart from
    /readyz, which a load balancer reads: a stalled worker must not take the web servers, and with
    them residents' reports, out of service."""
    from dispatch.pipeline import pipeline_health

    try:
        health = pipeline_health()
    except Exception as exc:  # the database itself is down: that is /readyz's answer too
        return JsonResponse(
            {"status": "unavailable", "problems": [f"{type(exc).__name__}: {exc}".strip()]},
            status=503,
        )
    return JsonResponse(health.as_json(), status=503 if health.stalled else 200)
