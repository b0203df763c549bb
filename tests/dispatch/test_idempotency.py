"""Idempotency-Key on the dispatcher's API: a queued action replayed after a lost answer is
applied once and answered the same; a refused one leaves its key free; keys are per person and
per operation; the patrol API files one report per key."""

import datetime as dt
import threading
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from dispatch import api
from dispatch.actions.routing import route_report
from dispatch.actions.unit_work import accept_task
from dispatch.events import Kind
from dispatch.models import ActionReceipt, Task
from reports.models import Event, Photo, Report

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(name, args=args)


@pytest.fixture
def grid_task(submit):
    """A ticket of grid A (06001 goes to the grid team), routed: the grid team's pending task."""
    report = submit("06010")
    (task,) = route_report(report_id=report.id)
    return task


def events(report, kind) -> int:
    return Event.objects.filter(report=report, kind=kind).count()


def test_a_replayed_accept_is_applied_once_and_answered_the_same(login, worker_a, grid_task):
    api_client = login(worker_a)
    key = str(uuid.uuid4())
    first = api_client.post(
        url("api-task-accept", grid_task.id), {"note": "到场"}, HTTP_IDEMPOTENCY_KEY=key
    )
    again = api_client.post(
        url("api-task-accept", grid_task.id), {"note": "到场"}, HTTP_IDEMPOTENCY_KEY=key
    )
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and again.json()["status"] == "accepted"
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert events(grid_task.report, Kind.TASK_ACCEPTED) == 1


def test_a_replayed_finish_with_its_photo_stores_one_photo_and_one_event(
    login, worker_a, grid_task, photo
):
    accept_task(task=grid_task, actor=worker_a)
    api_client = login(worker_a)
    key = str(uuid.uuid4())
    for _ in range(3):
        response = api_client.post(
            url("api-task-finish", grid_task.id),
            {"note": "已清理", "photo": photo()},  # a phone re-encodes: the bytes may differ
            HTTP_IDEMPOTENCY_KEY=key,
        )
        assert response.status_code == 200 and response.json()["status"] == "done"
    assert events(grid_task.report, Kind.TASK_DONE) == 1
    assert Photo.objects.filter(report=grid_task.report, kind=Photo.Kind.AFTER).count() == 1


def test_a_refused_action_leaves_no_receipt_and_its_key_may_be_tried_again(
    login, worker_a, grid_task, photo
):
    api_client = login(worker_a)
    key = str(uuid.uuid4())
    finish = url("api-task-finish", grid_task.id)
    refused = api_client.post(
        finish, {"note": "已清理", "photo": photo()}, HTTP_IDEMPOTENCY_KEY=key
    )
    assert refused.status_code == 409
    assert not ActionReceipt.objects.exists()
    grid_task.refresh_from_db()
    assert grid_task.status == Task.Status.PENDING

    accept_task(task=grid_task, actor=worker_a)
    done = api_client.post(finish, {"note": "已清理", "photo": photo()}, HTTP_IDEMPOTENCY_KEY=key)
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert ActionReceipt.objects.filter(user=worker_a, key=key, status=200).count() == 1


def test_bad_input_leaves_no_receipt(login, worker_a, grid_task):
    key = str(uuid.uuid4())
    response = login(worker_a).post(
        url("api-task-finish", grid_task.id), {"note": "已清理"}, HTTP_IDEMPOTENCY_KEY=key
    )
    assert response.status_code == 400 and "photo" in response.json()
    assert not ActionReceipt.objects.exists()


def test_the_same_key_on_another_operation_is_refused_and_changes_nothing(
    login, worker_a, grid_task
):
    api_client = login(worker_a)
    key = str(uuid.uuid4())
    assert (
        api_client.post(url("api-task-accept", grid_task.id), HTTP_IDEMPOTENCY_KEY=key).status_code
        == 200
    )
    response = api_client.post(
        url("api-task-progress", grid_task.id), {"note": "进展"}, HTTP_IDEMPOTENCY_KEY=key
    )
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert events(grid_task.report, Kind.TASK_PROGRESS) == 0


def test_a_key_belongs_to_its_person(login, worker_a, grid_task, staff_of, submit):
    """Another person's identical key is another action: it runs, and never sees the first answer."""
    report = submit("01030")
    tasks = {t.unit.code: t for t in route_report(report_id=report.id)}
    cg = staff_of("CG")
    key = str(uuid.uuid4())
    mine = login(worker_a).post(url("api-task-accept", grid_task.id), HTTP_IDEMPOTENCY_KEY=key)
    theirs = login(cg).post(url("api-task-accept", tasks["CG"].id), HTTP_IDEMPOTENCY_KEY=key)
    assert mine.status_code == theirs.status_code == 200
    assert theirs.json()["id"] == tasks["CG"].id and "Idempotent-Replayed" not in theirs
    assert ActionReceipt.objects.filter(key=key).count() == 2


def test_a_malformed_key_is_refused_with_a_message_and_nothing_changes(login, worker_a, grid_task):
    response = login(worker_a).post(
        url("api-task-accept", grid_task.id), HTTP_IDEMPOTENCY_KEY="not-a-uuid"
    )
    assert response.status_code == 400 and "UUID" in response.json()["detail"]
    grid_task.refresh_from_db()
    assert grid_task.status == Task.Status.PENDING


def test_without_a_key_each_request_is_its_own_action(login, worker_a, grid_task):
    api_client = login(worker_a)
    accept_task(task=grid_task, actor=worker_a)
    for note in ("一", "二"):
        response = api_client.post(url("api-task-progress", grid_task.id), {"note": note})
        assert response.status_code == 200
    assert events(grid_task.report, Kind.TASK_PROGRESS) == 2
    assert not ActionReceipt.objects.exists()


def test_every_dispatch_api_action_honours_the_key():
    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    views = [v for v in subclasses(api.DispatchView) if "post" in vars(v)]
    assert len(views) >= 18
    assert [v.__name__ for v in views if not getattr(v.post, "idempotent", False)] == []


def test_receipts_are_pruned_after_thirty_days(login, worker_a, grid_task):
    from django.utils import timezone

    from dispatch.tasks import prune_action_receipts

    key = str(uuid.uuid4())
    login(worker_a).post(url("api-task-accept", grid_task.id), HTTP_IDEMPOTENCY_KEY=key)
    receipt = ActionReceipt.objects.get()
    assert prune_action_receipts() == 0
    ActionReceipt.objects.filter(id=receipt.id).update(
        created_at=timezone.now() - dt.timedelta(days=30, minutes=1)
    )
    assert prune_action_receipts() == 1 and not ActionReceipt.objects.exists()


# --- the patrol API ------------------------------------------------------------------------------


def patrol_form(grid, photo, **extra):
    lon, lat = grid.inside_point()
    return {
        "category": "06010",
        "lon": f"{lon:.6f}",
        "lat": f"{lat:.6f}",
        "description": "楼道堆放杂物",
        "photo": photo(),
        **extra,
    }


def test_a_replayed_patrol_report_files_one_ticket(login, worker_a, grid_a, units, photo):
    api_client = login(worker_a)
    key = str(uuid.uuid4())
    answers = [
        api_client.post(url("api-patrol"), patrol_form(grid_a, photo), HTTP_IDEMPOTENCY_KEY=key)
        for _ in range(2)
    ]
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].json() == answers[1].json()
    report = Report.objects.get()
    assert report.number == answers[0].json()["number"]
    assert report.channel == "patrol" and report.reporter == worker_a


def test_patrol_fixed_on_the_spot_closes_at_once(login, worker_a, grid_a, units, photo):
    response = login(worker_a).post(
        url("api-patrol"),
        patrol_form(grid_a, photo, handled_on_spot="true", after_photo=photo(), note="已清理"),
    )
    assert response.status_code == 201 and response.json()["status"] == "closed"


def test_patrol_without_a_photo_is_refused_with_a_message_and_files_nothing(
    login, worker_a, grid_a, units, photo
):
    form = patrol_form(grid_a, photo)
    del form["photo"]
    response = login(worker_a).post(url("api-patrol"), form, HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))
    assert response.status_code == 400 and "photo" in response.json()
    assert not Report.objects.exists() and not ActionReceipt.objects.exists()


def test_patrol_by_someone_who_is_no_grid_worker_is_refused(login, resident, grid_a, units, photo):
    response = login(resident).post(url("api-patrol"), patrol_form(grid_a, photo))
    assert response.status_code == 403
    assert not Report.objects.exists()


# --- a duplicate racing the first request --------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_copies_sent_at_once_are_applied_once(worker_a, grid_task):
    """The phone's retry timer and the online event fire together: both copies reach the server
    while the first is still running. The second waits on the receipt, then replays its answer."""
    key = str(uuid.uuid4())
    answers = []
    start = threading.Barrier(2)

    def send():
        client = Client()
        client.force_login(worker_a, backend="accounts.backends.SlowedDownModelBackend")
        start.wait()
        try:
            response = client.post(url("api-task-accept", grid_task.id), HTTP_IDEMPOTENCY_KEY=key)
            answers.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [200, 200]
    assert events(grid_task.report, Kind.TASK_ACCEPTED) == 1
    assert ActionReceipt.objects.filter(key=key).count() == 1
