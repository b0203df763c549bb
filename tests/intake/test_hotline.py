"""The 12345 hotline operator's form: files a caller's report, refuses everyone else."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reports import actions
from reports.models import Channel, Report
from tests.open311.conftest import jpeg_bytes

pytestmark = pytest.mark.django_db
URL = "/intake/hotline/"


def call(place, **extra):
    data = {
        "caller_phone": "13700000000",
        "caller_name": "张女士",
        "category": "",
        "grid": place.id,
        "address": "朝阳路与千秋路交叉口",
        "description": "路面塌陷，有积水",
    }
    data.update(extra)
    return data


def test_an_operator_files_a_callers_report_without_photos_and_sees_the_number(
    login, operator, road, grid_a
):
    client = login(operator)
    assert client.get(URL).status_code == 200
    response = client.post(URL, call(grid_a, category=road.code), follow=True)
    assert response.status_code == 200
    report = Report.objects.get()
    assert report.channel == Channel.HOTLINE
    assert report.grid == grid_a  # placed inside the grid the operator chose
    assert report.contact_phone == "13700000000"
    assert report.contact_name == "张女士"
    assert report.reporter is None
    assert not report.photos.exists()
    assert report.events.get(kind="hotline_received").actor == operator
    page = response.content.decode()
    assert 'data-testid="ticket-number">' + report.number in page


def test_photos_are_optional_but_kept_when_given(login, operator, road, grid_a):
    photo = SimpleUploadedFile("a.jpg", jpeg_bytes(), content_type="image/jpeg")
    response = login(operator).post(URL, {**call(grid_a, category=road.code), "photos": photo})
    assert response.status_code == 302
    assert Report.objects.get().photos.count() == 1


def test_coordinates_place_the_report_when_given(login, operator, road, grid_a, point_a):
    data = call(grid_a, category=road.code, grid="", lon=point_a[0], lat=point_a[1])
    assert login(operator).post(URL, data).status_code == 302
    report = Report.objects.get()
    assert (report.lon, report.lat) == pytest.approx(point_a)


def test_a_dispatcher_may_take_calls_too(login, dispatcher, road, grid_a):
    assert login(dispatcher).post(URL, call(grid_a, category=road.code)).status_code == 302


def test_a_resident_is_refused(login, resident, road, grid_a):
    client = login(resident)
    assert client.get(URL).status_code == 403
    assert client.post(URL, call(grid_a, category=road.code)).status_code == 403
    assert client.get("/intake/hotline/done/").status_code == 403
    assert not Report.objects.exists()


def test_an_anonymous_visitor_is_sent_to_log_in(client, categories):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_bad_caller_phone_is_shown_on_the_form_and_nothing_is_saved(
    login, operator, road, grid_a
):
    response = login(operator).post(URL, call(grid_a, category=road.code, caller_phone="12345"))
    assert response.status_code == 400
    assert "11位" in response.content.decode()
    assert not Report.objects.exists()


def test_without_grid_or_coordinates_the_form_asks_for_a_grid(login, operator, road, grid_a):
    response = login(operator).post(URL, call(grid_a, category=road.code, grid=""))
    assert response.status_code == 400
    assert "请选择网格" in response.content.decode()
    assert not Report.objects.exists()


def test_the_done_page_without_a_fresh_submission_goes_back_to_the_form(login, operator):
    response = login(operator).get("/intake/hotline/done/")
    assert response.status_code == 302 and response["Location"] == URL


def test_the_operator_group_is_made_once_with_the_add_report_permission(hotline_group):
    again = actions.ensure_hotline_operator_group()
    assert again.id == hotline_group.id
    assert list(again.permissions.values_list("codename", flat=True)) == ["add_report"]
