"""The installable offline worklist over HTTP: the manifest and service worker from the root with
the right types and no caching, the offline shell for workers only, and the bundle: a person's
open tickets with what they may do, nobody else's."""

import json

import pytest
from django.templatetags.static import static
from django.urls import reverse

from dispatch.actions.routing import route_report
from dispatch.actions.unit_work import accept_task, add_progress_note, finish_task
from reports.models import Photo

pytestmark = pytest.mark.django_db


def test_the_manifest_is_served_from_the_root_as_a_web_app_manifest(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    assert response["Cache-Control"] == "no-cache"
    manifest = json.loads(response.content)
    assert manifest["start_url"] == "/work/" and manifest["display"] == "standalone"
    assert [i["sizes"] for i in manifest["icons"]] == ["192x192", "512x512"]
    assert all(i["src"].startswith("/static/icons/") for i in manifest["icons"])


def test_the_manifest_speaks_the_chosen_language(client):
    client.cookies["django_language"] = "en"
    manifest = json.loads(client.get("/manifest.webmanifest").content)
    assert manifest["lang"] == "en" and manifest["short_name"] == "Grid workbench"


def test_the_service_worker_is_javascript_for_the_whole_site_never_cached(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Cache-Control"] == "no-cache"
    assert response["Service-Worker-Allowed"] == "/"
    body = response.content.decode()
    assert f'"{static("js/offline_queue.js")}"' in body and 'OFFLINE_URL = "/work/offline/"' in body


def test_the_staff_pages_link_the_manifest_and_resident_pages_do_not(
    login, client, worker_a, resident
):
    assert 'rel="manifest"' not in client.get(reverse("reports:report")).content.decode()
    assert 'rel="manifest"' not in login(resident).get(reverse("home")).content.decode()
    page = login(worker_a).get(reverse("dispatch:work")).content.decode()
    assert 'rel="manifest"' in page and 'id="offline-status"' in page


def test_the_offline_page_is_a_shell_for_workers_only(login, worker_a, resident, submit):
    report = submit("06010")
    page = login(worker_a).get(reverse("dispatch:offline"))
    assert page.status_code == 200 and page["Cache-Control"].startswith("max-age=0")
    assert report.number not in page.content.decode()  # the tickets come from the bundle
    assert login(resident).get(reverse("dispatch:offline")).status_code == 403


@pytest.fixture
def worked_ticket(submit, worker_a, photo, settings, tmp_path):
    """A grid-A ticket for the grid team, accepted, with a progress photo."""
    settings.MEDIA_ROOT = tmp_path / "media"
    report = submit("06010")
    (task,) = route_report(report_id=report.id)
    accept_task(task=task, actor=worker_a)
    add_progress_note(task=task, actor=worker_a, note="处置中", photos=[photo()])
    return report, task


def test_the_bundle_carries_the_workers_tickets_tasks_photos_and_what_they_may_do(
    login, worker_a, worked_ticket, grid_a
):
    report, task = worked_ticket
    client = login(worker_a)
    bundle = client.get(reverse("api-work-bundle")).json()
    assert bundle["user"]["id"] == worker_a.id and bundle["is_grid_worker"] is True
    (ticket,) = bundle["tickets"]
    assert ticket["number"] == report.number and ticket["status"] == "processing"
    (row,) = ticket["tasks"]
    assert row["id"] == task.id and row["mine"] is True and row["status"] == "accepted"
    assert row["finish_url"] == f"/api/v1/tasks/{task.id}/finish/"
    stored = Photo.objects.get(report=report)
    # A signed URL of the photo view (reports/photo_access.py) that the worker's browser can fetch.
    variant = "thumb" if stored.thumbnail else "original"
    (url,) = [p["url"] for p in ticket["photos"]]
    assert url.startswith(f"/photos/{stored.id}/{variant}/?")
    assert client.get(url).status_code == 200
    assert ticket["can_close"] is False and ticket["close_url"].endswith("/close/")
    assert [g["code"] for g in bundle["grids"]] == [grid_a.code]
    assert bundle["grids"][0]["boundary"]["type"] in ("Polygon", "MultiPolygon")
    assert "06010" in [c["code"] for c in bundle["categories"]]


def test_another_grids_worker_gets_an_empty_bundle(login, worker_b, worked_ticket):
    bundle = login(worker_b).get(reverse("api-work-bundle")).json()
    assert bundle["tickets"] == [] and bundle["user"]["id"] == worker_b.id


def test_unit_staff_get_their_units_tickets_and_residents_no_bundle(
    login, pole, resident, dispatcher
):
    report, tasks, people = pole
    bundle = login(people["CG"]).get(reverse("api-work-bundle")).json()
    assert [t["number"] for t in bundle["tickets"]] == [report.number]
    mine = [t for t in bundle["tickets"][0]["tasks"] if t["mine"]]
    assert [t["id"] for t in mine] == [tasks["CG"].id]
    assert bundle["is_grid_worker"] is False
    assert login(resident).get(reverse("api-work-bundle")).status_code == 403
    assert login(dispatcher).get(reverse("api-work-bundle")).status_code == 403


def test_a_handled_ticket_may_be_closed_from_the_bundle(login, worker_a, worked_ticket, photo):
    report, task = worked_ticket
    finish_task(task=task, actor=worker_a, note="已清理", photo=photo())
    (ticket,) = login(worker_a).get(reverse("api-work-bundle")).json()["tickets"]
    assert ticket["status"] == "handled" and ticket["can_close"] is True


def test_the_offline_page_and_its_scripts_words_speak_english_when_chosen(login, worker_a):
    client = login(worker_a)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("dispatch:offline")).content.decode()
    assert "<h1>Offline workbench</h1>" in page
    words = json.loads(page.split('id="offline-words" type="application/json">')[1].split("<")[0])
    assert words["none_waiting"] == "No actions waiting to be sent"
    assert words["waiting"] == "%(count)s action(s) waiting to be sent"
