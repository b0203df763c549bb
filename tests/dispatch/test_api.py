"""The dispatcher's REST API: my tasks, task and ticket operations; 403/404/409 as promised."""

import pytest
from django.urls import reverse

from dispatch.actions.routing import route_report
from dispatch.actions.unit_work import accept_task, finish_task
from dispatch.models import Task
from reports.models import Status

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(name, args=args)


def test_my_tasks_lists_only_the_tasks_of_my_units(pole, login, staff_of):
    report, tasks, people = pole
    response = login(people["DL"]).get(url("api-my-tasks"))
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(r["unit_code"], r["report"]) for r in rows] == [("DL", report.number)]


def test_grid_worker_sees_the_tasks_of_the_grid_team(submit, login, worker_a, worker_b):
    report = submit("06010")
    route_report(report_id=report.id)
    assert len(login(worker_a).get(url("api-my-tasks")).json()["results"]) == 1
    assert login(worker_b).get(url("api-my-tasks")).json()["results"] == []


def test_anonymous_visitors_get_no_tasks(client, pole):
    _, tasks, _ = pole
    assert client.get(url("api-my-tasks")).status_code == 403
    assert client.post(url("api-task-accept", tasks["CG"].id)).status_code == 403


def test_unit_staff_accept_and_finish_their_task_through_the_api(pole, login, photo):
    _, tasks, people = pole
    api = login(people["CG"])
    response = api.post(url("api-task-accept", tasks["CG"].id), {"note": "已到场"})
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    response = api.post(
        url("api-task-finish", tasks["CG"].id), {"note": "已加固", "photo": photo()}
    )
    assert response.status_code == 200 and response.json()["status"] == "done"


def test_task_of_another_unit_is_not_found(pole, login):
    _, tasks, people = pole
    api = login(people["DL"])
    assert api.get(url("api-task", tasks["CG"].id)).status_code == 404
    assert api.post(url("api-task-accept", tasks["CG"].id)).status_code == 404
    tasks["CG"].refresh_from_db()
    assert tasks["CG"].status == Task.Status.PENDING


def test_dispatcher_sees_a_task_but_may_not_accept_it(pole, login, dispatcher):
    _, tasks, _ = pole
    api = login(dispatcher)
    assert api.get(url("api-task", tasks["CG"].id)).status_code == 200
    assert api.post(url("api-task-accept", tasks["CG"].id)).status_code == 403


def test_refused_transition_answers_409_with_a_chinese_message(pole, login):
    _, tasks, people = pole
    api = login(people["CG"])
    api.post(url("api-task-accept", tasks["CG"].id))
    response = api.post(url("api-task-accept", tasks["CG"].id))
    assert response.status_code == 409
    assert "不能进行此操作" in response.json()["detail"]


def test_missing_reason_answers_400_and_changes_nothing(pole, login):
    _, tasks, people = pole
    response = login(people["YD"]).post(url("api-task-return", tasks["YD"].id), {"reason": ""})
    assert response.status_code == 400
    tasks["YD"].refresh_from_db()
    assert tasks["YD"].status == Task.Status.PENDING


def test_return_extension_and_escalation_endpoints(pole, login, dispatcher, submit, worker_a):
    report, tasks, people = pole
    api = login(people["YD"])
    assert api.post(url("api-task-return", tasks["YD"].id), {"reason": "无线缆"}).status_code == 200
    api = login(people["DL"])
    response = api.post(url("api-task-extension", tasks["DL"].id), {"hours": 8, "reason": "停电"})
    assert response.status_code == 201
    extension_id = response.json()["id"]
    assert api.post(url("api-extension-approve", extension_id)).status_code == 403
    response = login(dispatcher).post(url("api-extension-approve", extension_id), {"note": "同意"})
    assert response.status_code == 200 and response.json()["status"] == "approved"
    assert login(dispatcher).post(url("api-extension-refuse", extension_id)).status_code == 409

    grid_report = submit("06010")
    (grid_task,) = route_report(report_id=grid_report.id)
    response = login(worker_a).post(
        url("api-task-escalate", grid_task.id), {"reason": "需社区协调"}
    )
    assert response.status_code == 200 and response.json()[0]["level"] == "community"


def test_dispatcher_queue_and_manual_routing(submit, login, dispatcher, worker_a):
    report = submit("01030", category_unsure=True)
    route_report(report_id=report.id)
    assert login(worker_a).get(url("api-dispatch-queue")).status_code == 403
    api = login(dispatcher)
    assert [r["report"] for r in api.get(url("api-dispatch-queue")).json()["results"]] == [
        report.number
    ]
    response = api.post(
        url("api-ticket-route", report.number),
        {"lead": "CG", "cooperating": ["DL", "YD"]},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "dispatched" and len(response.json()["tasks"]) == 3
    response = api.post(
        url("api-ticket-route", report.number), {"lead": "NOPE"}, content_type="application/json"
    )
    assert response.status_code == 400


def test_ticket_endpoints_for_people_without_a_part_in_it_are_not_found(pole, login, worker_b):
    report, _, _ = pole
    api = login(worker_b)
    for name in ("api-ticket-reject", "api-ticket-send-back", "api-ticket-suspend"):
        assert api.post(url(name, report.number), {"reason": "x"}).status_code == 404
    assert api.get(url("api-ticket-dispatch", report.number)).status_code == 404


def test_unit_staff_see_the_ticket_but_may_not_reject_it(pole, login):
    report, _, people = pole
    api = login(people["CG"])
    assert api.get(url("api-ticket-dispatch", report.number)).status_code == 200
    assert api.post(url("api-ticket-reject", report.number), {"reason": "x"}).status_code == 403


def test_dispatcher_rejects_suspends_resumes_and_merges(submit, login, dispatcher):
    first, second, third = submit("01037"), submit("01037"), submit("01030")
    for report in (first, second, third):
        route_report(report_id=report.id)
    api = login(dispatcher)
    response = api.post(url("api-ticket-merge", second.number), {"into": first.number})
    assert response.status_code == 200 and response.json()["status"] == "duplicate"
    response = api.post(url("api-ticket-suspend", first.number), {"reason": "雨季后施工"})
    assert response.json()["status"] == "suspended"
    response = api.post(url("api-ticket-resume", first.number))
    assert response.json()["status"] == "dispatched"
    response = api.post(url("api-ticket-reject", third.number), {"reason": "不属实"})
    assert response.json()["status"] == "rejected"
    assert api.post(url("api-ticket-reject", third.number), {"reason": "x"}).status_code == 409
    assert api.post(url("api-ticket-merge", first.number), {"into": "YM0"}).status_code == 400


def test_grid_worker_closes_or_sends_back_through_the_api(pole, login, worker_a, photo):
    report, tasks, people = pole
    api = login(worker_a)
    response = api.post(url("api-ticket-close", report.number), {"photo": photo()})
    assert response.status_code == 409
    for code, task in tasks.items():
        accept_task(task=task, actor=people[code])
        finish_task(task=task, actor=people[code], note="完成", photo=photo())
    response = api.post(url("api-ticket-send-back", report.number), {"reason": "未修好"})
    assert response.status_code == 200 and response.json()["reopened_count"] == 1
    for code, task in tasks.items():
        accept_task(task=task, actor=people[code])
        finish_task(task=task, actor=people[code], note="再次完成", photo=photo())
    response = api.post(url("api-ticket-close", report.number), {"photo": photo(), "note": "好"})
    assert response.status_code == 200 and response.json()["status"] == Status.CLOSED


def test_schema_describes_the_dispatch_endpoints(client):
    response = client.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/tasks/{task_id}/accept/",
        "/api/v1/tasks/{task_id}/finish/",
        "/api/v1/reports/{number}/close/",
        "/api/v1/reports/{number}/send-back/",
    ):
        assert "post" in paths[path]
    finish = paths["/api/v1/tasks/{task_id}/finish/"]["post"]
    assert "multipart/form-data" in finish["requestBody"]["content"]
    assert "409" in finish["responses"]


def test_progress_note_with_a_photo_through_the_api(pole, login, photo):
    report, tasks, people = pole
    api = login(people["CG"])
    api.post(url("api-task-accept", tasks["CG"].id))
    response = api.post(
        url("api-task-progress", tasks["CG"].id), {"note": "已设置围挡", "photos": [photo()]}
    )
    assert response.status_code == 200
    assert report.photos.filter(kind="progress").count() == 1
    response = api.post(url("api-task-progress", tasks["CG"].id), {"note": ""})
    assert response.status_code == 400
