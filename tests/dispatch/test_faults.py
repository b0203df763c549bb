"""Faults: the broker down when a report is saved; a worker killed in the middle of routing.
The database is the source of truth, the broker only a doorbell: nothing is lost or doubled."""

import datetime as dt
import logging
import time

import psycopg2
import pytest
from django.db import connection
from django.db.models import F

from dispatch.models import Task
from dispatch.tasks import route_report, sweep_submitted
from reports.models import Event, Report, Status
from tests.dispatch.processes import Worker, publishing_to, wait_for

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


def test_report_saved_while_redis_is_down_is_routed_after_redis_returns(own_redis, submit, caplog):
    with publishing_to(own_redis.url):
        # Given the broker is down: saving the report still succeeds.
        with caplog.at_level(logging.WARNING, logger="dispatch.tasks"):
            report = submit("01030")
        report.refresh_from_db()
        assert report.status == Status.SUBMITTED
        assert "the sweep will retry" in caplog.text
        assert not Task.objects.filter(report=report).exists()

        # When Redis is back and a minute has passed, the periodic sweep finds the report…
        own_redis.start()
        worker = Worker(own_redis.url).start()
        try:
            Report.objects.filter(id=report.id).update(
                submitted_at=F("submitted_at") - dt.timedelta(minutes=2)
            )
            sweep_submitted.apply_async()  # what beat sends every minute
            # …and the worker routes it.
            wait_for(
                lambda: Task.objects.filter(report=report).count() == 6,
                timeout=30,
                what="the swept report to be routed",
            )
        finally:
            worker.stop()
    assert Event.objects.filter(report=report, kind="dispatched").count() == 1


def _lock_row(report_id: int):
    """Hold the report's row lock from another connection, as a long transaction would."""
    db = connection.settings_dict
    conn = psycopg2.connect(
        dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"] or 5432
    )
    cursor = conn.cursor()
    cursor.execute("SELECT id FROM reports_report WHERE id = %s FOR UPDATE", [report_id])
    return conn


def _someone_waits_for_a_lock(conn) -> bool:
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def test_worker_killed_mid_routing_has_the_message_redelivered_without_duplicate_tasks(
    own_redis, submit
):
    own_redis.start()
    # Redis hands an unacknowledged message to another worker after this many seconds.
    env = {"CELERY_VISIBILITY_TIMEOUT": "10"}
    with publishing_to(own_redis.url):
        report = submit("01030")  # queued on commit; no worker yet
        locker = _lock_row(report.id)
        first = Worker(own_redis.url, extra_env=env).start()
        try:
            # The worker took the message and is stuck inside route_report, on the row lock.
            wait_for(lambda: _someone_waits_for_a_lock(locker), timeout=30, what="routing to start")
            delivered = time.monotonic()
            first.kill()
        finally:
            locker.rollback()
            locker.close()
            first.stop()
        assert not Task.objects.filter(report=report).exists()

        # A worker starting once the visibility timeout has passed takes the message back at once
        # (kombu's periodic scan is throttled to one in ten ticks, so a running worker would
        # only notice it a minute or two later).
        time.sleep(max(0.0, delivered + 11 - time.monotonic()))
        second = Worker(own_redis.url, extra_env=env).start()
        try:
            wait_for(
                lambda: Task.objects.filter(report=report).count() == 6,
                timeout=60,
                what="the redelivered message to be routed",
            )
            # A late duplicate of the message finds the work done.
            route_report.apply_async((report.id,))
            wait_for(
                lambda: second.log().count("succeeded") >= 2,
                timeout=30,
                what="the duplicate message to run",
            )
        finally:
            second.stop()
    assert Task.objects.filter(report=report).count() == 6
    assert Event.objects.filter(report=report, kind="dispatched").count() == 1
