"""The admin: categories editable, reports read-only, API keys issued once and revoked."""

import re

from reports.models import ApiKey, Category, Report
from tests.reports.helpers import form_data


def test_administrator_edits_a_category(login, admin_user, categories):
    client = login(admin_user)
    category = Category.objects.by_code("01037")
    response = client.get(f"/admin/reports/category/{category.id}/change/")
    assert response.status_code == 200
    assert client.get("/admin/reports/category/?q=路灯").status_code == 200


def test_report_admin_is_read_only_with_events_and_photos(
    login, admin_user, client, streetlight, point_a
):
    client.post("/report/", form_data(streetlight, point_a))
    report = Report.objects.get()
    admin = login(admin_user)
    page = admin.get(f"/admin/reports/report/{report.id}/change/")
    assert page.status_code == 200
    assert "submitted" in page.content.decode()
    before = report.description
    admin.post(f"/admin/reports/report/{report.id}/change/", {"description": "篡改"})
    report.refresh_from_db()
    assert report.description == before


def test_issuing_an_api_key_shows_the_key_once_and_stores_only_its_hash(login, admin_user):
    client = login(admin_user)
    response = client.post(
        "/admin/reports/apikey/add/",
        {"name": "12345 热线系统", "channel": "hotline", "rate": "120/m"},
        follow=True,
    )
    html = response.content.decode()
    raw = re.search(r"id='issued-api-key'>([^<]+)<", html).group(1)
    key = ApiKey.objects.get()
    assert raw.startswith(key.prefix + ".")
    assert raw not in key.key_hash
    assert raw not in client.get(f"/admin/reports/apikey/{key.id}/change/").content.decode()


def test_revoking_an_api_key_from_the_admin(login, admin_user):
    from reports.actions import issue_api_key

    key, _ = issue_api_key(name="传感器", channel="emergency", actor=None)
    login(admin_user).post(
        "/admin/reports/apikey/", {"action": "revoke", "_selected_action": [key.id]}
    )
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_non_staff_cannot_open_the_report_admin(login, resident):
    response = login(resident).get("/admin/reports/report/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_standards_code_and_name_are_read_only_in_the_admin(login, admin_user, categories):
    client = login(admin_user)
    light = Category.objects.by_code("01037")
    page = client.get(f"/admin/reports/category/{light.id}/change/").content.decode()
    assert 'name="name"' not in page and "路灯异常" in page
    dispute = Category.objects.by_code("93001")
    page = client.get(f"/admin/reports/category/{dispute.id}/change/").content.decode()
    assert 'name="name"' in page  # a local extension is ours to edit


def test_administrator_loads_a_newer_edition_from_the_admin(login, admin_user, categories):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reports.catalogue import CURRENT_CSV
    from reports.models import CatalogueEdition

    client = login(admin_user)
    assert "load-edition" in client.get("/admin/reports/catalogueedition/").content.decode()
    text = CURRENT_CSV.read_text(encoding="utf-8") + "10003,matter,10,其他事项类,,城市家具破损\n"
    bad = text + "10004,matter,10,其他事项类,,\n"
    refused = client.post(
        "/admin/reports/catalogueedition/load/",
        {"edition": "GB/T 47678.5-2030", "file": SimpleUploadedFile("e.csv", bad.encode())},
    )
    assert refused.status_code == 400 and "第 406 行" in refused.content.decode()
    assert Category.objects.by_code("10003") is None  # all or nothing
    done = client.post(
        "/admin/reports/catalogueedition/load/",
        {"edition": "GB/T 47678.5-2030", "file": SimpleUploadedFile("e.csv", text.encode())},
    )
    assert done.status_code == 302
    assert Category.objects.by_code("10003").name == "城市家具破损"
    assert CatalogueEdition.objects.get(is_current=True).name == "GB/T 47678.5-2030"
