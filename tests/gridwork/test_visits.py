"""The 民情 ledger through its pages: a volunteer records a visit from the phone form, settles one
item on the spot and files another as a ticket that routes; the grid's worker sees both; nobody
outside the grid learns the visit exists; bad input changes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dispatch.actions.routing import route_report
from gridwork.models import Event, Item, Visit, VisitPhoto
from gridwork.signals import dispute_item_recorded
from reports.models import Channel
from reports.models import Event as TicketEvent
from tests.gridwork.conftest import jpeg

pytestmark = pytest.mark.django_db


def _form(grid, **extra):
    data = {
        "kind": "visit",
        "grid": grid.id,
        "compound": "",
        "household": "3号楼2单元401",
        "minutes": 40,
        "note": "",
        "lon": "",
        "lat": "",
        "item_kind_0": "need",
        "item_text_0": "楼道灯坏了，老人夜里看不清",
        "item_kind_1": "hazard",
        "item_text_1": "电动车在楼道充电",
        "item_kind_2": "",
        "item_text_2": "",
    }
    data.update(extra)
    return data


def test_volunteer_records_a_visit_with_two_items_placed_in_the_compound_of_the_check_in(
    login, volunteer, grid_a, compound_a
):
    client = login(volunteer)
    assert client.get(reverse("gridwork:visit_new")).status_code == 200
    response = client.post(
        reverse("gridwork:visit_new"),
        _form(grid_a, lon=str(compound_a.lon), lat=str(compound_a.lat)),
    )
    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("gridwork:visit", args=[visit.id])
    assert visit.compound == compound_a
    assert visit.recorder_role == Visit.Role.VOLUNTEER
    assert visit.community_id == grid_a.community_id
    assert [(i.kind, i.status) for i in visit.items.order_by("id")] == [
        ("need", "open"),
        ("hazard", "open"),
    ]
    assert Event.objects.filter(kind="visit_recorded", visit=visit).count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "电动车在楼道充电" in page and compound_a.name in page


def test_volunteer_settles_one_item_and_files_the_other_as_a_ticket_which_routes(
    login, volunteer, grid_a, record, units
):
    visit = record(volunteer, items=[("need", "楼道灯坏了"), ("hazard", "井盖松动")])
    need, hazard = visit.items.order_by("id")
    client = login(volunteer)
    response = client.post(
        reverse("gridwork:item_settle", args=[need.id]), {"note": "已联系物业更换"}
    )
    assert response.status_code == 302
    response = client.post(reverse("gridwork:item_ticket", args=[hazard.id]), {"category": "01037"})
    assert response.status_code == 302
    need.refresh_from_db()
    hazard.refresh_from_db()
    assert (need.status, need.settled_note) == ("settled", "已联系物业更换")
    ticket = hazard.ticket
    assert hazard.status == "ticketed"
    assert (ticket.channel, ticket.reporter, ticket.grid) == (Channel.PATROL, volunteer, grid_a)
    assert ticket.minqing_item == hazard
    assert TicketEvent.objects.filter(report=ticket, kind="filed_from_minqing").exists()
    route_report(report_id=ticket.id)
    ticket.refresh_from_db()
    assert ticket.status == "dispatched" and ticket.tasks.exists()
    page = client.get(reverse("gridwork:visit", args=[visit.id])).content.decode()
    assert ticket.number in page


def test_the_grid_worker_sees_and_handles_a_volunteers_items_and_others_do_not(
    login, volunteer, other_volunteer, worker_a, worker_b, resident, record
):
    visit = record(volunteer, items=[("need", "独居老人需要探访"), ("complaint", "垃圾清运不及时")])
    url = reverse("gridwork:visit", args=[visit.id])
    worker_page = login(worker_a).get(url).content.decode()
    assert "独居老人需要探访" in worker_page and "垃圾清运不及时" in worker_page
    assert "独居老人需要探访" in login(worker_a).get(reverse("gridwork:home")).content.decode()
    for outsider in (worker_b, other_volunteer):
        assert login(outsider).get(url).status_code == 404
        home = login(outsider).get(reverse("gridwork:home"))
        assert home.status_code == 200 and "独居老人需要探访" not in home.content.decode()
    assert login(resident).get(reverse("gridwork:home")).status_code == 403
    item = visit.items.first()
    response = login(worker_b).post(reverse("gridwork:item_settle", args=[item.id]))
    assert response.status_code == 404
    assert login(worker_a).post(reverse("gridwork:item_settle", args=[item.id])).status_code == 302


def test_a_volunteer_sees_no_ticket_of_their_grid_but_their_own(
    login, volunteer, record, units, resident, grid_a
):
    from reports.actions import submit_report
    from tests.dispatch.conftest import point_in

    lon, lat = point_in(grid_a)
    others = submit_report(
        category="01037", lon=lon, lat=lat, reporter=resident, require_photo=False
    )
    visit = record(volunteer, items=[("hazard", "井盖松动")])
    login(volunteer).post(
        reverse("gridwork:item_ticket", args=[visit.items.get().id]), {"category": "01037"}
    )
    own = visit.items.get().ticket
    client = login(volunteer)
    work = client.get(reverse("dispatch:work"))
    assert work.status_code in (403, 404) or others.number not in work.content.decode()
    mine = client.get(reverse("reports:mine")).content.decode()
    assert own.number in mine and others.number not in mine


def test_a_settled_item_cannot_be_filed_as_a_ticket_too(login, volunteer, record, units):
    item = record(volunteer).items.get()
    client = login(volunteer)
    client.post(reverse("gridwork:item_settle", args=[item.id]))
    response = client.post(reverse("gridwork:item_ticket", args=[item.id]), {"category": "01037"})
    assert response.status_code == 409
    assert "已处理" in response.content.decode()
    item.refresh_from_db()
    assert item.status == "settled" and item.ticket is None


@pytest.mark.parametrize(
    "extra, message",
    [
        ({"item_kind_1": "hazard", "item_text_1": ""}, "请填写民情内容"),
        ({"item_kind_0": "", "item_text_0": "没有类别"}, "请选择民情类别"),
        ({"minutes": "-5"}, "用时"),
        ({"lon": "500", "lat": "34.7"}, "定位坐标无效"),
    ],
)
def test_bad_visits_are_refused_with_a_message_and_nothing_is_saved(
    login, volunteer, grid_a, extra, message
):
    response = login(volunteer).post(reverse("gridwork:visit_new"), _form(grid_a, **extra))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Visit.objects.exists() and not Item.objects.exists()


def test_a_compound_of_another_grid_or_another_grid_is_refused(
    login, volunteer, worker_b, grid_a, grid_b, compounds
):
    other = compounds.filter(grid=grid_b).first()
    response = login(volunteer).post(
        reverse("gridwork:visit_new"), _form(grid_a, compound=other.id)
    )
    assert response.status_code == 400
    response = login(worker_b).post(reverse("gridwork:visit_new"), _form(grid_a))
    assert response.status_code == 400
    assert not Visit.objects.exists()


def test_photos_are_stored_without_metadata_and_a_broken_one_saves_nothing(
    login, volunteer, grid_a, settings
):
    client = login(volunteer)
    photo = SimpleUploadedFile("p.jpg", jpeg(), content_type="image/jpeg")
    response = client.post(reverse("gridwork:visit_new"), {**_form(grid_a), "photos": [photo]})
    assert response.status_code == 302
    stored = VisitPhoto.objects.get()
    assert stored.image.name.startswith("gridwork/")
    src = reverse("gridwork:visit_photo", args=[stored.visit_id, stored.id])
    assert src in client.get(response["Location"]).content.decode()
    assert client.get(src)["Content-Type"] == "image/jpeg"
    assert client.get(f"/media/{stored.image.name}").status_code == 404
    broken = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    response = client.post(reverse("gridwork:visit_new"), {**_form(grid_a), "photos": [broken]})
    assert response.status_code == 400
    assert Visit.objects.count() == 1 and VisitPhoto.objects.count() == 1
    files = list((settings.MEDIA_ROOT / "gridwork").rglob("*.jpg"))
    assert len(files) == 1


def test_a_dispute_heard_on_a_visit_is_signalled_after_commit(
    volunteer, record, django_capture_on_commit_callbacks
):
    heard = []

    def receiver(sender, item_id, visit_id, **kwargs):
        heard.append((item_id, visit_id))

    dispute_item_recorded.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            visit = record(volunteer, items=[("need", "需求"), ("dispute", "邻里漏水纠纷")])
    finally:
        dispute_item_recorded.disconnect(receiver)
    dispute = visit.items.get(kind="dispute")
    assert heard == [(dispute.id, visit.id)]
