"""The public map and list: public categories only, never who reported."""

from reports.models import Report, Status
from tests.reports.helpers import form_data


def test_public_list_shows_public_reports_without_reporter_name_or_phone(
    login, client, resident, streetlight, point_a
):
    login(resident).post(
        "/report/",
        form_data(streetlight, point_a, contact_name="张三丰", contact_phone="13912345678"),
    )
    report = Report.objects.get()
    client.logout()
    html = client.get("/public/").content.decode()
    assert f"/public/{report.number}/" in html and streetlight.name in html
    detail = client.get(f"/public/{report.number}/").content.decode()
    for secret in ("张三丰", "13912345678", resident.name, resident.phone, report.tracking_token):
        assert secret not in html and secret not in detail


def test_private_categories_never_appear_publicly(client, private_category, point_a):
    client.post("/report/", form_data(private_category, point_a))
    report = Report.objects.get()
    assert report.number not in client.get("/public/").content.decode()
    assert client.get(f"/public/{report.number}/").status_code == 404


def test_rejected_reports_are_not_public(client, streetlight, point_a):
    client.post("/report/", form_data(streetlight, point_a))
    report = Report.objects.get()
    Report.objects.filter(id=report.id).update(status=Status.REJECTED)
    assert client.get(f"/public/{report.number}/").status_code == 404


def test_public_pages_fit_a_phone_and_load_no_cdn(client, streetlight, point_a):
    client.post("/report/", form_data(streetlight, point_a))
    for url in ("/public/", "/report/"):
        html = client.get(url).content.decode()
        assert 'name="viewport"' in html
        assert "http://" not in html.replace("http://testserver", "")
        assert "https://" not in html
