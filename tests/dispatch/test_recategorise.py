"""The dispatcher corrects a resident's category: the ticket moves to the new code, is routed by
the new category's rules, and one event records both categories."""

from dispatch import category_actions
from dispatch.actions.routing import route_report
from dispatch.events import Kind
from dispatch.models import DispatchQueueEntry, Task
from reports.models import Category, Event, Status


def live_units(report) -> list[str]:
    return sorted(
        report.tasks.exclude(status=Task.Status.CANCELLED).values_list("unit__code", flat=True)
    )


def test_dispatcher_moves_a_street_light_report_to_fallen_cable_and_it_reroutes(
    client, submit, dispatcher
):
    report = submit("01037")  # the resident chose 路灯; the photo shows a fallen cable
    route_report(report_id=report.id)
    assert live_units(report) == ["CG"]
    client.force_login(dispatcher)
    response = client.post(
        f"/tickets/{report.number}/recategorise/",
        {"recategorise-category": "10002", "recategorise-reason": "照片是脱落的架空线缆"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.category.code == "10002" and report.status == Status.DISPATCHED
    assert live_units(report) == ["DL", "DX", "LT", "YD"]  # 10002's rule: 供电 and the telecoms
    assert report.tasks.filter(unit__code="CG", status=Task.Status.CANCELLED).exists()
    event = Event.objects.get(report=report, kind=Kind.RECATEGORISED)
    assert event.data["from"] == {"code": "01037", "name": "路灯异常", "catalogue": "matter"}
    assert event.data["to"] == {"code": "10002", "name": "架空线缆脱落", "catalogue": "matter"}
    assert event.data["reason"] == "照片是脱落的架空线缆"
    assert "路灯异常" in event.note and "架空线缆脱落" in event.note
    page = client.get(f"/tickets/{report.number}/").content.decode()
    assert "10002" in page and "架空线缆脱落" in page


def test_an_unsure_report_in_the_queue_is_routed_once_its_category_is_set(submit, dispatcher):
    report = submit("01037", category_unsure=True)
    route_report(report_id=report.id)
    assert report.queue_entries.filter(resolved_at=None).exists()
    category_actions.recategorise_report(
        report=report,
        category=Category.objects.by_code("01030"),
        actor=dispatcher,
        reason="是电线杆倾斜",
    )
    report.refresh_from_db()
    assert not report.category_unsure
    assert live_units(report) == ["CG", "DL", "DX", "LT", "YD", "ZJ"]  # the six-unit pole case
    assert not report.queue_entries.filter(resolved_at=None).exists()


def test_a_category_without_a_rule_leaves_the_ticket_with_the_dispatcher(submit, dispatcher):
    report = submit("01037", category_unsure=True)
    route_report(report_id=report.id)
    category_actions.recategorise_report(
        report=report,
        category=Category.objects.by_code("05009"),  # 文物古迹异常: no rule in Yima's defaults
        actor=dispatcher,
        reason="文物",
    )
    report.refresh_from_db()
    assert report.category.code == "05009" and report.status == Status.SUBMITTED
    entry = report.queue_entries.get(resolved_at=None)
    assert entry.reason in (DispatchQueueEntry.Reason.UNSURE, DispatchQueueEntry.Reason.UNCOVERED)


def test_a_grid_worker_cannot_recategorise_and_nothing_changes(client, submit, worker_a):
    report = submit("01037")
    route_report(report_id=report.id)
    client.force_login(worker_a)
    response = client.post(
        f"/tickets/{report.number}/recategorise/",
        {"recategorise-category": "10002", "recategorise-reason": "改一下"},
    )
    assert response.status_code in (403, 404)
    report.refresh_from_db()
    assert report.category.code == "01037"
    assert not Event.objects.filter(report=report, kind=Kind.RECATEGORISED).exists()


def test_a_correction_without_reason_or_to_a_component_is_refused_with_a_message(
    client, submit, dispatcher
):
    report = submit("01037")
    route_report(report_id=report.id)
    client.force_login(dispatcher)
    response = client.post(
        f"/tickets/{report.number}/recategorise/",
        {"recategorise-category": "10002", "recategorise-reason": ""},
    )
    assert response.status_code == 400
    assert "此字段是必填项" in response.content.decode() or "必填" in response.content.decode()
    response = client.post(
        f"/tickets/{report.number}/recategorise/",
        {"recategorise-category": "99999", "recategorise-reason": "不存在的代码"},
    )
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.category.code == "01037" and live_units(report) == ["CG"]


def test_the_api_corrects_a_category_for_a_dispatcher_and_refuses_an_unknown_code(
    client, submit, dispatcher
):
    report = submit("01037")
    route_report(report_id=report.id)
    client.force_login(dispatcher)
    url = f"/api/v1/reports/{report.number}/recategorise/"
    refused = client.post(
        url, {"category": "99999", "reason": "x"}, content_type="application/json"
    )
    assert refused.status_code == 400 and "类别" in refused.json()["category"][0]
    done = client.post(
        url, {"category": "01030", "reason": "是电线杆"}, content_type="application/json"
    )
    assert done.status_code == 200, done.content
    report.refresh_from_db()
    assert report.category.code == "01030"
    assert live_units(report) == ["CG", "DL", "DX", "LT", "YD", "ZJ"]
