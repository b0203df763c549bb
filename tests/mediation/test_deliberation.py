"""议事: a community worker records a session and its topics; a ticket filed from a topic goes
through reports' submission and is linked both ways; decisions stay listed until done; the public
page shows topics and outcomes and nobody's name."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from mediation.models import Session, SessionPhoto, Topic
from reports.models import Channel, Report


def _session(client, community, upload=None, **extra):
    data = {
        "community": community.id,
        "held_on": timezone.localdate().isoformat(),
        "place": "常安社区党群服务中心",
        "facilitator": "王书记",
        "attendance": 18,
        **extra,
    }
    if upload is not None:
        data["photos"] = [upload()]
    return client.post(reverse("mediation:session_new"), data)


def _topic(client, session, **data):
    data.setdefault("raised_by", "resident")
    return client.post(reverse("mediation:topic_add", args=[session.id]), data)


def test_community_staff_records_a_session_with_three_outcomes(
    login, community_staff, grid_a, upload, private_media
):
    client = login(community_staff)
    response = _session(client, grid_a.community, upload)
    session = Session.objects.get()
    assert response.status_code == 302
    assert session.photos.count() == 1

    _topic(client, session, title="楼道灯不亮", outcome="settled", discussion="物业当场答应更换")
    due = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    _topic(
        client,
        session,
        title="垃圾清运不及时",
        raised_by="party_member",
        outcome="decision",
        decision_owner="物业公司张经理",
        decision_due=due,
    )
    response = _topic(client, session, title="单元门口路面塌陷", outcome="ticket", category="01037")
    assert response.status_code == 302

    topics = {t.outcome: t for t in session.topics.all()}
    assert set(topics) == {"settled", "decision", "ticket"}
    ticket = topics["ticket"].ticket
    assert ticket.channel == Channel.PATROL and ticket.reporter == community_staff
    assert ticket.grid.community_id == grid_a.community_id
    assert Report.objects.get(id=ticket.id).deliberation_topic == topics["ticket"]
    assert ticket.events.filter(kind="filed_from_deliberation", public=False).exists()
    page = client.get(reverse("mediation:session", args=[session.id])).content.decode()
    assert ticket.number in page


def test_a_decision_needs_an_owner_and_a_due_date_and_nothing_is_saved_without(
    login, community_staff, grid_a
):
    client = login(community_staff)
    _session(client, grid_a.community)
    session = Session.objects.get()
    response = _topic(client, session, title="加装电梯", outcome="decision")
    assert response.status_code == 400
    assert "责任人" in response.content.decode()
    response = _topic(client, session, title="路面塌陷", outcome="ticket")
    assert response.status_code == 400
    assert not Topic.objects.exists() and not Report.objects.exists()


def test_open_decisions_are_listed_until_done(login, community_staff, worker_a, grid_a):
    client = login(community_staff)
    _session(client, grid_a.community)
    session = Session.objects.get()
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    _topic(
        client,
        session,
        title="修补围墙",
        outcome="decision",
        decision_owner="居委会",
        decision_due=yesterday,
    )
    topic = Topic.objects.get()
    # A worker of one of the community's grids follows the same list.
    worker = login(worker_a)
    listing = worker.get(reverse("mediation:decisions")).content.decode()
    assert "修补围墙" in listing and "逾期" in listing
    response = worker.post(reverse("mediation:decision_done", args=[topic.id]), {"note": "已修好"})
    assert response.status_code == 302
    assert "修补围墙" not in worker.get(reverse("mediation:decisions")).content.decode()
    again = worker.post(reverse("mediation:decision_done", args=[topic.id]))
    assert again.status_code == 409


def test_the_public_page_shows_topics_and_outcomes_but_no_personal_data(
    client, login, community_staff, grid_a
):
    staff = login(community_staff)
    _session(staff, grid_a.community)
    session = Session.objects.get()
    due = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    _topic(staff, session, title="楼道灯不亮", outcome="settled", discussion="住户张三家门口")
    _topic(
        staff,
        session,
        title="垃圾清运",
        outcome="decision",
        decision_owner="李经理",
        decision_due=due,
    )
    staff.logout()
    page = client.get(reverse("mediation:community_public", args=[grid_a.community.code]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "楼道灯不亮" in body and "当场解决" in body and "形成决定" in body
    for private in ("王书记", "张三", "李经理", "mediation/photos"):
        assert private not in body


def test_people_outside_the_community_cannot_record_or_read_its_sessions(
    login, community_staff, worker_far, unit_out, resident, grid_a, upload, private_media
):
    staff = login(community_staff)
    _session(staff, grid_a.community, upload)
    session = Session.objects.get()
    photo = SessionPhoto.objects.get()
    for outsider in (worker_far, unit_out, resident):
        client = login(outsider)
        assert client.get(reverse("mediation:session", args=[session.id])).status_code == 404
        assert client.get(reverse("mediation:session_photo", args=[photo.id])).status_code == 404
        assert _topic(client, session, title="x", outcome="settled").status_code == 404
        assert _session(client, grid_a.community).status_code in (400, 403)
    assert Session.objects.count() == 1 and not Topic.objects.exists()


def test_a_session_photo_that_is_not_an_image_is_refused_and_no_session_is_saved(
    login, community_staff, grid_a, upload, private_media
):
    client = login(community_staff)
    response = _session(client, grid_a.community, lambda: upload(b"not a photo", "x.jpg"))
    assert response.status_code == 400
    assert not Session.objects.exists()
    assert not any(private_media.rglob("*.jpg")) if private_media.exists() else True
