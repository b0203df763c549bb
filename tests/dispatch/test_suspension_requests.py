"""挂账申请: a unit asks for its ticket to be suspended; the dispatcher approves (the ticket is
suspended) or refuses it from the console; the unit hears the answer either way."""

import pytest
from django.urls import reverse

from accounts.models import Notification
from dispatch.models import SuspensionRequest
from reports.models import Event, Status

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(name, args=args)


def ask_on_the_ticket_page(client, task, reason="需结合道路改造施工，工期三个月"):
    return client.post(
        url("dispatch:task_action", task.id, "suspension"),
        {f"t{task.id}-suspension-reason": reason},
    )


def test_unit_staff_ask_for_suspension_and_the_dispatcher_approves_it_from_the_console(
    pole, login, dispatcher, resident
):
    report, tasks, people = pole
    client = login(people["CG"])
    page = client.get(url("dispatch:ticket", report.number)).content.decode()
    assert url("dispatch:task_action", tasks["CG"].id, "suspension") in page
    response = ask_on_the_ticket_page(client, tasks["CG"])
    assert response.status_code == 302
    request = SuspensionRequest.objects.get()
    assert (request.task, request.status) == (tasks["CG"], SuspensionRequest.Status.PENDING)
    assert "挂账待审批" in client.get(url("dispatch:ticket", report.number)).content.decode()

    console = login(dispatcher).get(url("dispatch:console")).content.decode()
    assert "需结合道路改造施工，工期三个月" in console
    assert url("dispatch:suspension_action", request.id, "approve") in console
    response = client.post(
        url("dispatch:suspension_action", request.id, "approve"), {"decide-note": "同意挂账"}
    )
    assert response.status_code == 302

    report.refresh_from_db()
    request.refresh_from_db()
    assert report.status == Status.SUSPENDED
    assert request.status == SuspensionRequest.Status.APPROVED
    assert request.decided_by == dispatcher and request.decision_note == "同意挂账"
    kinds = list(report.events.order_by("id").values_list("kind", flat=True))
    assert kinds[-2:] == ["suspension_requested", "suspended"]
    suspended = report.events.get(kind="suspended")
    assert suspended.data["suspension"] == request.id and suspended.to_status == Status.SUSPENDED
    timeline = client.get(url("dispatch:ticket", report.number)).content.decode()
    assert "申请挂账" in timeline and "同意挂账" in timeline
    note = Notification.objects.get(recipient=people["CG"], kind="suspension_decided")
    assert "已批准" in note.title and report.number in note.title
    assert not Notification.objects.filter(recipient=people["DL"], kind="suspension_decided")
    console = login(dispatcher).get(url("dispatch:console")).content.decode()
    assert url("dispatch:suspension_action", request.id, "approve") not in console


def test_the_dispatcher_refuses_a_suspension_with_a_note_and_the_unit_is_told(
    pole, login, dispatcher
):
    report, tasks, people = pole
    ask_on_the_ticket_page(login(people["DL"]), tasks["DL"])
    request = SuspensionRequest.objects.get()
    response = login(dispatcher).post(
        url("dispatch:suspension_action", request.id, "refuse"), {"decide-note": "可先临时处置"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    request.refresh_from_db()
    assert report.status == Status.DISPATCHED
    assert request.status == SuspensionRequest.Status.REFUSED
    refused = report.events.get(kind="suspension_refused")
    assert refused.note == "可先临时处置" and not refused.public
    note = Notification.objects.get(recipient=people["DL"], kind="suspension_decided")
    assert "未批准" in note.title and note.body == "可先临时处置"
    # Refused, the unit may ask again.
    assert ask_on_the_ticket_page(login(people["DL"]), tasks["DL"]).status_code == 302
    assert SuspensionRequest.objects.filter(status="pending").count() == 1


def test_a_missing_reason_is_refused_on_the_page_and_nothing_is_written(pole, login):
    report, tasks, people = pole
    response = ask_on_the_ticket_page(login(people["CG"]), tasks["CG"], reason="  ")
    assert response.status_code == 400
    assert not SuspensionRequest.objects.exists()
    assert not report.events.filter(kind="suspension_requested").exists()


def test_staff_of_another_unit_cannot_ask_for_or_decide_a_suspension(
    pole, login, staff_of, dispatcher
):
    report, tasks, people = pole
    outsider = staff_of("GA")
    client = login(outsider)
    assert ask_on_the_ticket_page(client, tasks["CG"]).status_code == 404
    response = client.post(url("api-task-suspension", tasks["CG"].id), {"reason": "施工"})
    assert response.status_code == 404
    assert not SuspensionRequest.objects.exists()

    login(people["CG"]).post(url("api-task-suspension", tasks["CG"].id), {"reason": "施工"})
    request = SuspensionRequest.objects.get()
    client = login(outsider)
    assert client.post(url("api-suspension-approve", request.id)).status_code == 404
    assert client.post(url("dispatch:suspension_action", request.id, "approve")).status_code == 404
    # Staff of the requesting unit see the request but may not decide it themselves.
    client = login(people["CG"])
    assert client.post(url("api-suspension-approve", request.id)).status_code == 403
    assert client.post(url("dispatch:suspension_action", request.id, "approve")).status_code == 403
    request.refresh_from_db()
    report.refresh_from_db()
    assert request.status == SuspensionRequest.Status.PENDING
    assert report.status == Status.DISPATCHED


def test_a_resident_is_refused(pole, login, resident):
    report, tasks, people = pole
    client = login(resident)
    response = client.post(url("api-task-suspension", tasks["CG"].id), {"reason": "施工"})
    assert response.status_code in (403, 404)
    login(people["CG"]).post(url("api-task-suspension", tasks["CG"].id), {"reason": "施工"})
    request = SuspensionRequest.objects.get()
    response = login(resident).post(url("api-suspension-approve", request.id))
    assert response.status_code in (403, 404)
    assert SuspensionRequest.objects.get().status == SuspensionRequest.Status.PENDING


def test_api_request_approve_and_refused_repeats(pole, login, dispatcher):
    report, tasks, people = pole
    client = login(people["CG"])
    response = client.post(url("api-task-suspension", tasks["CG"].id), {"reason": "需施工"})
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "pending" and body["task"] == tasks["CG"].id
    # A second request on the ticket while one is pending: 409, also from another unit.
    response = client.post(url("api-task-suspension", tasks["CG"].id), {"reason": "再次申请"})
    assert response.status_code == 409 and "待审批的挂账申请" in response.json()["detail"]
    response = login(people["DL"]).post(url("api-task-suspension", tasks["DL"].id), {"reason": "x"})
    assert response.status_code == 409
    assert SuspensionRequest.objects.count() == 1

    client = login(dispatcher)
    response = client.post(url("api-suspension-approve", body["id"]), {"note": "同意"})
    assert response.status_code == 200 and response.json()["status"] == "approved"
    report.refresh_from_db()
    assert report.status == Status.SUSPENDED
    # Already decided: refused both ways, nothing more written.
    events = Event.objects.filter(report=report).count()
    response = client.post(url("api-suspension-approve", body["id"]))
    assert response.status_code == 409 and "已经审批过了" in response.json()["detail"]
    assert client.post(url("api-suspension-refuse", body["id"])).status_code == 409
    assert Event.objects.filter(report=report).count() == events
    # A suspended ticket takes no new request.
    response = login(people["DL"]).post(url("api-task-suspension", tasks["DL"].id), {"reason": "x"})
    assert response.status_code == 409


def test_api_refusal_and_a_missing_reason(pole, login, dispatcher):
    report, tasks, people = pole
    client = login(people["YD"])
    assert (
        client.post(url("api-task-suspension", tasks["YD"].id), {"reason": ""}).status_code == 400
    )
    assert not SuspensionRequest.objects.exists()
    response = client.post(url("api-task-suspension", tasks["YD"].id), {"reason": "需协调"})
    suspension_id = response.json()["id"]
    response = login(dispatcher).post(url("api-suspension-refuse", suspension_id), {"note": "不行"})
    assert response.status_code == 200
    assert response.json()["status"] == "refused" and response.json()["decision_note"] == "不行"
    report.refresh_from_db()
    assert report.status == Status.DISPATCHED
    assert Notification.objects.filter(recipient=people["YD"], kind="suspension_decided").exists()
