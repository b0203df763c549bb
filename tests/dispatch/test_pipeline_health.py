"""The pipeline's pulse: only a consuming worker writes the heartbeat; /readyz/pipeline, the
console's banner and `check_pipeline` say when routing has stalled, and name why."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F
from django.utils import timezone

from dispatch.models import PipelineHeartbeat
from dispatch.pipeline import HEARTBEAT
from dispatch.tasks import heartbeat
from reports.models import Report


def beat(ago: dt.timedelta = dt.timedelta(0)) -> None:
    PipelineHeartbeat.objects.update_or_create(
        name=HEARTBEAT, defaults={"beat_at": timezone.now() - ago, "worker": "w1@test"}
    )


def backdate(report, minutes: int) -> None:
    Report.objects.filter(id=report.id).update(
        submitted_at=F("submitted_at") - dt.timedelta(minutes=minutes)
    )


@pytest.mark.django_db
def test_the_heartbeat_task_records_when_and_where_it_ran():
    # (Which worker, through a real one: tests/faults/test_broker_restarts.py.)
    heartbeat.apply().get()
    row = PipelineHeartbeat.objects.get(name=HEARTBEAT)
    assert row.worker
    assert timezone.now() - row.beat_at < dt.timedelta(seconds=5)


@pytest.mark.django_db
def test_pipeline_is_ready_with_a_fresh_heartbeat_and_nothing_waiting(client):
    beat(dt.timedelta(seconds=40))
    response = client.get("/readyz/pipeline")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["unrouted"] == 0


@pytest.mark.django_db
def test_pipeline_without_any_heartbeat_is_stalled(client):
    response = client.get("/readyz/pipeline")
    assert response.status_code == 503
    assert response.json()["problems"] == ["尚无工作进程心跳"]


@pytest.mark.django_db
def test_a_stale_heartbeat_is_named_with_its_age(client):
    beat(dt.timedelta(minutes=7, seconds=10))
    response = client.get("/readyz/pipeline")
    assert response.status_code == 503
    assert response.json()["problems"] == ["工作进程已 7 分钟无心跳"]


def test_a_report_waiting_too_long_stalls_the_pipeline_even_with_a_heartbeat(client, submit):
    beat()
    fresh = submit("01030")
    assert client.get("/readyz/pipeline").status_code == 200  # a report just saved is no stall
    backdate(fresh, 6)
    body = client.get("/readyz/pipeline").json()
    assert body["status"] == "stalled"
    assert body["unrouted"] == 1
    assert body["problems"] == ["1 件上报待派遣，最早的已等待 6 分钟"]


def test_a_routed_report_no_longer_counts_as_waiting(client, submit):
    from dispatch.actions.routing import route_report

    beat()
    report = submit("01030")
    backdate(report, 10)
    route_report(report_id=report.id)
    assert client.get("/readyz/pipeline").status_code == 200


def test_dispatchers_console_shows_a_banner_while_routing_is_stalled(client, dispatcher, submit):
    client.force_login(dispatcher)
    beat()
    report = submit("01030")
    assert 'id="pipeline-stalled"' not in client.get("/console/").content.decode()
    backdate(report, 9)
    page = client.get("/console/").content.decode()
    assert 'id="pipeline-stalled"' in page
    assert "最早的已等待 9 分钟" in page


def test_check_pipeline_command_fails_only_when_stalled(submit, capsys):
    beat()
    call_command("check_pipeline")
    backdate(submit("01030"), 20)
    with pytest.raises(CommandError, match="最早的已等待 20 分钟"):
        call_command("check_pipeline")
