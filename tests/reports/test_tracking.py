"""The private tracking page, rating and reopening, and telling the reporter about changes."""

from django.core import mail
from django.utils import timezone

from accounts.sms import LocmemSmsBackend
from reports import actions
from reports.models import Event, Report, Status
from tests.reports.helpers import form_data


def file_report(client, category, point, **extra) -> Report:
    client.post("/report/", form_data(category, point, **extra))
    return Report.objects.latest("id")


def close(report: Report) -> None:
    Report.objects.filter(id=report.id).update(status=Status.CLOSED, closed_at=timezone.now())


def test_tracking_page_works_without_an_account_and_explains_the_status(
    client, streetlight, point_a
):
    report = file_report(client, streetlight, point_a)
    client.logout()
    html = client.get(f"/t/{report.tracking_token}/").content.decode()
    assert report.number in html
    assert "正在分派给责任单位" in html
    assert "已上报" in html  # the first timeline entry


def test_unknown_or_malformed_tracking_token_is_404(client, streetlight, point_a):
    report = file_report(client, streetlight, point_a)
    assert client.get(f"/t/{'0' * 32}/").status_code == 404
    assert client.get(f"/t/{report.tracking_token[:-1]}/").status_code == 404


def test_public_timeline_hides_private_events_and_personal_names(
    client, resident, streetlight, point_a
):
    report = file_report(client, streetlight, point_a)
    Event.objects.create(report=report, kind="internal_note", note="内部备注：机密", public=False)
    Event.objects.create(
        report=report, kind="accepted", actor=resident, actor_label="城管局", to_status="processing"
    )
    html = client.get(f"/t/{report.tracking_token}/").content.decode()
    assert "内部备注" not in html
    assert "城管局" in html and resident.name not in html


def test_reporter_rates_a_closed_ticket_on_the_tracking_page(client, streetlight, point_a):
    report = file_report(client, streetlight, point_a)
    close(report)
    page = client.get(f"/t/{report.tracking_token}/").content.decode()
    assert 'name="rating"' in page and "满意" in page and "基本满意" in page
    response = client.post(f"/t/{report.tracking_token}/rate/", {"rating": "satisfied"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.rating == "satisfied" and report.rated_at is not None
    assert Event.objects.filter(report=report, kind="rated").exists()


def test_rating_an_open_ticket_on_the_page_is_refused(client, streetlight, point_a):
    report = file_report(client, streetlight, point_a)
    response = client.post(f"/t/{report.tracking_token}/rate/", {"rating": "satisfied"})
    assert response.status_code == 409
    assert "办结后才能评价" in response.content.decode()
    report.refresh_from_db()
    assert report.rating == ""


def test_unsatisfied_rating_needs_a_reason_and_notifies_dispatchers(
    client, dispatcher, streetlight, point_a
):
    report = file_report(client, streetlight, point_a)
    close(report)
    url = f"/t/{report.tracking_token}/rate/"
    refused = client.post(url, {"rating": "unsatisfied", "comment": ""})
    assert refused.status_code == 400 and "说明原因" in refused.content.decode()
    assert client.post(url, {"rating": "unsatisfied", "comment": "灯还是不亮"}).status_code == 302
    note = dispatcher.notifications.get()
    assert report.number in note.title and note.body == "灯还是不亮"


def test_reporter_asks_to_reopen_with_a_reason(client, dispatcher, streetlight, point_a):
    report = file_report(client, streetlight, point_a)
    close(report)
    url = f"/t/{report.tracking_token}/reopen/"
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "又坏了"}).status_code == 302
    event = Event.objects.get(report=report, kind="reopen_requested")
    assert event.note == "又坏了"
    assert dispatcher.notifications.filter(kind="reopen_requested").count() == 1
    report.refresh_from_db()
    assert report.status == Status.CLOSED  # the dispatcher decides


def test_notify_reporter_uses_inbox_email_and_sms(
    login, resident, streetlight, point_a, django_capture_on_commit_callbacks
):
    resident.email = "jia@example.cn"
    resident.save(update_fields=["email"])
    report = file_report(
        login(resident),
        streetlight,
        point_a,
        contact_phone="13912345678",
    )
    Report.objects.filter(id=report.id).update(contact_email="other@example.cn")
    report.refresh_from_db()
    LocmemSmsBackend.outbox.clear()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.notify_reporter(report=report, title="您的事项已派遣", body="城管局处理中")
    assert resident.notifications.get().title == "您的事项已派遣"
    assert sorted(m.to[0] for m in mail.outbox) == ["jia@example.cn", "other@example.cn"]
    assert [phone for phone, _ in LocmemSmsBackend.outbox] == ["13912345678"]


def test_anonymous_reporter_without_contacts_is_not_notified_anywhere(
    client, streetlight, point_a, django_capture_on_commit_callbacks
):
    report = file_report(client, streetlight, point_a)
    LocmemSmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.notify_reporter(report=report, title="变更", body="")
    assert mail.outbox == [] and LocmemSmsBackend.outbox == []


def test_inbox_lists_my_messages_and_marks_them_read(login, resident, other_resident):
    from accounts.actions import notify

    notify(recipient=resident, kind="report_changed", title="事项已办结", email=False)
    notify(recipient=other_resident, kind="report_changed", title="别人的消息", email=False)
    client = login(resident)
    html = client.get("/accounts/inbox/").content.decode()
    assert "事项已办结" in html and "别人的消息" not in html
    client.post("/accounts/inbox/")
    assert resident.notifications.filter(read_at=None).count() == 0
    assert other_resident.notifications.filter(read_at=None).count() == 1


def test_inbox_needs_a_login(client, db):
    assert client.get("/accounts/inbox/").status_code == 302


def test_someone_without_the_tracking_link_cannot_rate_or_reopen(
    client, login, other_resident, streetlight, point_a
):
    report = file_report(client, streetlight, point_a)
    close(report)
    other = login(other_resident)
    wrong = "f" * 32
    assert (
        other.post(f"/t/{wrong}/rate/", {"rating": "unsatisfied", "comment": "x"}).status_code
        == 404
    )
    assert other.post(f"/t/{wrong}/reopen/", {"reason": "x"}).status_code == 404
    report.refresh_from_db()
    assert report.rating == ""
    assert not Event.objects.filter(report=report, kind="reopen_requested").exists()


def test_residents_who_said_me_too_are_told_about_changes_in_their_inbox(
    client, login, other_resident, streetlight, point_a
):
    report = file_report(client, streetlight, point_a)
    actions.support_report(report=report, user=other_resident)
    actions.notify_reporter(report=report, title="您关注的事项已派遣", body="")
    note = other_resident.notifications.get()
    assert note.title == "您关注的事项已派遣"
    assert report.tracking_token not in note.url  # a follower never gets the reporter's link
