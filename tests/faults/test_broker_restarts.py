"""The worker survives its broker going away while it holds unacknowledged messages, three times
in a row, with gossip and mingle on as in production; every report is routed exactly once in the
end (the tasks that were running finish, the sweep makes up for messages the restarts lost)."""

import datetime as dt
import time

import psycopg2
import pytest
from django.db import connection
from django.db.models import F

from dispatch.models import PipelineHeartbeat, Task
from dispatch.pipeline import HEARTBEAT
from dispatch.tasks import heartbeat, sweep_submitted
from reports.models import Event, Report
from tests.dispatch.processes import Worker, publishing_to, wait_for

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


def hold_task_table():
    """Block every insert into dispatch_task from another connection: routing then waits inside
    its transaction, its message taken but not acknowledged."""
    db = connection.settings_dict
    conn = psycopg2.connect(
        dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"] or 5432
    )
    conn.cursor().execute("LOCK TABLE dispatch_task IN SHARE MODE")
    return conn


def waiting_on_locks() -> int:
    # Asked on our own autocommit connection: inside the locker's transaction, PostgreSQL would
    # answer every time from the statistics snapshot taken at the first question.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def test_worker_survives_three_broker_restarts_with_unacked_messages(own_redis, submit):
    own_redis.start()
    reports = []
    with publishing_to(own_redis.url):
        worker = Worker(
            own_redis.url,
            concurrency=2,
            production_flags=True,
            extra_env={"CELERY_VISIBILITY_TIMEOUT": "10"},
        ).start()
        try:
            for _ in range(3):
                locker = hold_task_table()
                try:
                    reports += [submit("01030"), submit("01030")]
                    # Both pool processes hold a message they have not acknowledged.
                    wait_for(
                        lambda: waiting_on_locks() >= 2,
                        timeout=90,  # a loaded machine takes a while to warm the pool up
                        what="both messages to be taken and stuck",
                    )
                    own_redis.stop()
                    time.sleep(1)
                    own_redis.start()
                finally:
                    locker.rollback()
                    locker.close()
                # Still alive, and consuming again once it has reconnected.
                worker.wait_ready(timeout=60)

            # Only a consuming worker can write the heartbeat.
            heartbeat.apply_async()
            wait_for(
                lambda: PipelineHeartbeat.objects.filter(
                    name=HEARTBEAT, worker=worker.name
                ).exists(),
                timeout=30,
                what="the worker's heartbeat",
            )
            # What the restarts lost (Redis keeps nothing on disk here), the sweep routes.
            Report.objects.filter(id__in=[r.id for r in reports]).update(
                submitted_at=F("submitted_at") - dt.timedelta(minutes=2)
            )
            sweep_submitted.apply_async()
            wait_for(
                lambda: Task.objects.filter(report__in=reports).count() == 6 * len(reports),
                timeout=60,
                what="every report to be routed",
            )
        finally:
            worker.stop()
    log = worker.log()
    assert "Unrecoverable error" not in log, log[-4000:]
    assert log.count("Connection to broker lost") >= 3
    for report in reports:
        assert Task.objects.filter(report=report).count() == 6
        assert Event.objects.filter(report=report, kind="dispatched").count() == 1
