"""The Celery side: stable names, bounded retries for passing errors only, the periodic jobs,
the sweep that makes up for lost messages, and queueing that never fails the caller."""

import datetime as dt

import pytest
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.db.models import F

from dispatch import tasks
from dispatch.actions.routing import route_report
from reports.models import Report
from yima_gov.celery import app

pytestmark = pytest.mark.django_db


def test_tasks_have_stable_names_and_retry_only_database_outages():
    app.loader.import_default_modules()  # the worker's autodiscovery, whatever ran before
    for name in (
        "dispatch.route_report",
        "dispatch.watch_deadlines",
        "dispatch.sweep_submitted",
        "reports.make_photo_thumbnail",
        "reports.make_photo_thumbnails",
    ):
        task = app.tasks[name]
        # A connection the database dropped surfaces as either, depending on when it is noticed.
        assert task.autoretry_for == (OperationalError, InterfaceError)
        assert task.max_retries == 5 and task.retry_backoff
    assert app.amqp.router.route({}, "dispatch.route_report")["queue"].name == "yima"


def test_beat_runs_the_sweep_and_the_deadline_watch_every_minute():
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["dispatch.sweep_submitted"]["schedule"] == 60.0
    assert schedule["dispatch.watch_deadlines"]["task"] == "dispatch.watch_deadlines"
    assert schedule["dispatch.heartbeat"]["schedule"] == 30.0


def age(report, minutes):
    Report.objects.filter(id=report.id).update(
        submitted_at=F("submitted_at") - dt.timedelta(minutes=minutes)
    )


def test_sweep_requeues_only_reports_left_waiting_for_routing(submit, monkeypatch):
    queued = []
    monkeypatch.setattr(tasks, "queue_routing", lambda report_id: queued.append(report_id) or True)
    lost = submit("01037")  # its message never arrived
    fresh = submit("01037")  # its message may still be on its way
    routed = submit("01037")
    unsure = submit("01037", category_unsure=True)  # waiting for the dispatcher
    route_report(report_id=routed.id)
    route_report(report_id=unsure.id)
    for report in (lost, routed, unsure):
        age(report, 2)

    assert tasks.sweep_submitted() == 1
    assert queued == [lost.id]
    assert fresh.id not in queued


def test_queueing_with_the_broker_unreachable_logs_and_returns(monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise OSError("Connection refused")

    monkeypatch.setattr(tasks.route_report, "apply_async", refuse)
    assert tasks.queue_routing(12345) is False
    assert "the sweep will retry" in caplog.text


def test_route_report_task_is_safe_to_run_twice(submit):
    report = submit("01030")
    assert tasks.route_report.run(report.id) == 6
    assert tasks.route_report.run(report.id) == 0
    assert tasks.route_report.run(987654321) == 0  # a report that does not exist (any more)
