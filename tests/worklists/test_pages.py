"""The worklist pages as their users drive them: lists, ticket actions, refusals, patrol,
supervision remarks, phone masking and the unread count in the top bar."""

from accounts.models import Notification
from reports.models import Photo, Report, Status
from tests.dispatch.conftest import jpeg, point_in


def test_unit_staff_accept_and_finish_their_task_from_the_ticket_page(pole, login, photo):
    report, tasks, people = pole
    client = login(people["CG"])
    task = tasks["CG"]
    response = client.post(f"/tasks/{task.id}/accept/", {})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == "accepted"
    response = client.post(
        f"/tasks/{task.id}/finish/",
        {f"t{task.id}-finish-note": "已更换电杆", f"t{task.id}-finish-photo": photo()},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == "done"
    page = client.get(f"/tickets/{report.number}/").content.decode()
    assert "已更换电杆" in page


def test_a_refused_transition_shows_the_actions_message_and_changes_nothing(pole, login):
    report, tasks, people = pole
    task = tasks["CG"]
    client = login(people["CG"])
    response = client.post(
        f"/tasks/{task.id}/escalate/", {f"t{task.id}-escalate-reason": "处理不了"}
    )
    assert response.status_code == 409
    assert "部门任务不能再向上级上报" in response.content.decode()
    task.refresh_from_db()
    assert task.status == "pending"


def test_finishing_without_a_photo_is_a_clear_form_error(pole, login):
    report, tasks, people = pole
    task = tasks["CG"]
    client = login(people["CG"])
    client.post(f"/tasks/{task.id}/accept/", {})
    response = client.post(f"/tasks/{task.id}/finish/", {f"t{task.id}-finish-note": "好了"})
    assert response.status_code == 400
    assert "请检查填写的内容" in response.content.decode()
    task.refresh_from_db()
    assert task.status == "accepted"


def test_worker_of_another_grid_cannot_open_the_ticket(pole, login, worker_b):
    report, _tasks, _people = pole
    assert login(worker_b).get(f"/tickets/{report.number}/").status_code == 404


def test_unit_page_shows_the_other_units_of_a_joint_ticket(pole, login):
    report, tasks, people = pole
    page = login(people["DL"]).get("/unit/").content.decode()
    assert report.number in page
    for code in ("CG", "ZJ", "YD"):
        assert tasks[code].unit.name in page


def test_reporter_phone_is_whole_for_holders_and_masked_for_the_grid_worker(pole, login, worker_a):
    report, _tasks, people = pole
    report.contact_phone = "13812341234"
    report.save(update_fields=["contact_phone"])
    assert "13812341234" in login(people["CG"]).get(f"/tickets/{report.number}/").content.decode()
    page = login(worker_a).get(f"/tickets/{report.number}/").content.decode()
    assert "138****1234" in page and "13812341234" not in page


def test_supervision_remark_reaches_the_holders_and_shows_in_their_top_bar(
    pole, login, official, worker_a
):
    report, _tasks, people = pole
    response = login(official).post(
        f"/tickets/{report.number}/remark/", {"remark-note": "请今天内处置"}
    )
    assert response.status_code == 302
    assert report.events.filter(kind="supervision_remark", note="请今天内处置").exists()
    assert Notification.objects.filter(recipient=people["CG"], kind="supervision_remark").exists()
    assert Notification.objects.filter(recipient=worker_a, kind="supervision_remark").exists()
    unread = Notification.objects.filter(recipient=people["CG"], read_at=None).count()
    page = login(people["CG"]).get("/unit/").content.decode()
    assert f'id="nav-unread">{unread}<' in page
    assert login(people["CG"]).get("/accounts/inbox/").status_code == 200


def test_grid_worker_handles_a_patrol_find_on_the_spot_in_one_go(
    units, grid_a, worker_a, login, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    lon, lat = point_in(grid_a)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = login(worker_a).post(
        "/patrol/",
        {
            "category": "01037",
            "lon": lon,
            "lat": lat,
            "description": "路灯不亮，已更换灯泡",
            "photo": SimpleUploadedFile("b.jpg", jpeg((10, 10, 10)), content_type="image/jpeg"),
            "handled_on_spot": "on",
            "after_photo": SimpleUploadedFile(
                "a.jpg", jpeg((90, 90, 90)), content_type="image/jpeg"
            ),
        },
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.status == Status.CLOSED and report.channel == "patrol"
    assert report.handled_level == "grid"
    assert set(Photo.objects.values_list("kind", flat=True)) == {"before", "after"}


def test_patrol_find_outside_the_workers_grids_is_refused_and_leaves_nothing(
    units, grid_b, worker_a, login, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    lon, lat = point_in(grid_b)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = login(worker_a).post(
        "/patrol/",
        {
            "category": "01037",
            "lon": lon,
            "lat": lat,
            "description": "别的网格",
            "photo": SimpleUploadedFile("b.jpg", jpeg((10, 10, 10)), content_type="image/jpeg"),
            "handled_on_spot": "on",
            "after_photo": SimpleUploadedFile(
                "a.jpg", jpeg((90, 90, 90)), content_type="image/jpeg"
            ),
        },
    )
    assert response.status_code == 403
    assert not Report.objects.exists()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_dispatcher_routes_a_queued_report_by_hand_from_the_console(submit, login, dispatcher):
    from dispatch.actions.routing import route_report
    from dispatch.models import Unit

    report = submit("01030", category_unsure=True)
    route_report(report_id=report.id)
    client = login(dispatcher)
    assert report.number in client.get("/console/").content.decode()
    lead = Unit.objects.get(code="CG")
    response = client.post(f"/tickets/{report.number}/route/", {"route-lead": lead.id})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.DISPATCHED
    assert report.number not in client.get("/console/").content.decode()
