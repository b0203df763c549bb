"""The offline worklist on a phone: the worker loads the worklist, loses the signal, opens a
ticket, accepts its task, notes progress and finishes it with a photo, files a patrol report and tries to close a
ticket the dispatcher closes meanwhile; the page still opens after a reload without network; back
online, the queue is sent in order, each action applied exactly once, and the refused close stays
on screen with the server's message until the worker discards it. Logging out leaves nothing of
the first worker on the phone."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from dispatch import offline, seed
from dispatch.actions.closure import check_and_close
from dispatch.actions.unit_work import accept_task, finish_task
from dispatch.events import Kind
from dispatch.models import ActionReceipt, Task
from reports import actions as report_actions
from reports.models import Event, Photo, Report, Status
from tests.reports.conftest import jpeg_bytes

pytestmark = [pytest.mark.e2e]

SHOTS = "var/test/screenshots"


@pytest.fixture
def offline_setup(settings, tmp_path, yima, categories):
    settings.MEDIA_ROOT = tmp_path / "media"
    from yima_gov.celery import run_tasks_in_process

    seed.seed_units()
    seed.seed_rules()
    run_tasks_in_process(True)  # routing and thumbnails in-process
    cache.clear()
    yield
    run_tasks_in_process(False)
    cache.clear()


def grid_ticket(grid, resident, description: str) -> tuple[Report, Task]:
    """A resident's 06001 report in the grid, routed to the grid team (its one pending task)."""
    lon, lat = grid.inside_point()
    report = report_actions.submit_report(
        category="06010",
        lon=lon,
        lat=lat,
        description=description,
        reporter=resident,
        photos=[SimpleUploadedFile("p.jpg", jpeg_bytes(size=(320, 240)), "image/jpeg")],
    )
    report.refresh_from_db()  # routed on commit (tasks run in-process here)
    return report, report.tasks.get()


def photo_file(tmp_path, name: str, color) -> str:
    path = tmp_path / name
    path.write_bytes(jpeg_bytes(size=(1200, 900), color=color))
    return str(path)


def go_offline(context):
    context.set_offline(True)
    # The service worker's own requests are not covered by set_offline: cut them off too.
    context.route("**/*", _abort_service_worker)


def go_online(context):
    context.unroute("**/*", _abort_service_worker)
    context.set_offline(False)


def _abort_service_worker(route):
    if route.request.service_worker:
        route.abort("internetdisconnected")
    else:
        route.fallback()


def wait_until_ready_offline(page):
    """The service worker controls the page and the worker's bundle and shell are saved."""
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller")
    for _ in range(100):
        # evaluate() awaits the promise; polled because the saving runs in the background.
        ready = page.evaluate(
            """async () => {
                const store = idbKeyval.createStore("yima-offline", "kv");
                const bundle = await idbKeyval.get("bundle", store);
                const shell = await (await caches.open("yima-user")).match("/work/offline/");
                return Boolean(bundle && shell);
            }"""
        )
        if ready:
            return
        page.wait_for_timeout(100)
    raise AssertionError("the bundle and the offline shell were not saved within 10 s")


def test_worker_acts_offline_and_each_action_is_applied_once_when_back_online(
    live_server,
    phone_page,
    login_in_browser,
    offline_setup,
    grid_a,
    worker_a,
    resident,
    dispatcher,
    tmp_path,
):
    blocked, blocked_task = grid_ticket(grid_a, resident, "楼道堆放杂物")
    handled, handled_task = grid_ticket(grid_a, resident, "井盖松动")
    accept_task(task=handled_task, actor=worker_a)
    finish_task(
        task=handled_task,
        actor=worker_a,
        note="已加固",
        photo=SimpleUploadedFile("a.jpg", jpeg_bytes(color=(0, 90, 0)), "image/jpeg"),
    )
    page = phone_page
    context = page.context
    login_in_browser(page, worker_a)
    page.goto(live_server.url + "/work/")
    expect(page.locator("#offline-synced")).to_contain_text("上次同步")
    wait_until_ready_offline(page)

    # No signal: the worklist still opens, from the saved bundle.
    go_offline(context)
    page.goto(live_server.url + "/work/")
    expect(page.locator("h1")).to_have_text("离线工作台")
    expect(page.locator("#offline-net")).to_contain_text("离线")
    rows = page.locator("#offline-worklist li")
    expect(rows).to_have_count(2)

    # Open the blocked stairwell, accept its task and finish it with a photo.
    page.locator(f"#offline-worklist a[href='#t-{blocked.number}']").tap()
    expect(page.locator("#offline-ticket-title")).to_contain_text(blocked.number)
    task_row = page.locator(f"li.offline-task[data-task='{blocked_task.id}']")
    task_row.locator(".task-accept").tap()
    expect(task_row.locator(".task-finish")).to_be_visible()
    task_row.locator(".task-progress textarea[name=note]").fill("正在清理")
    task_row.locator(".task-progress button").tap()
    expect(page.locator("#offline-waiting")).to_have_text("2 项操作待发送")
    task_row = page.locator(f"li.offline-task[data-task='{blocked_task.id}']")
    task_row.locator(".task-finish textarea[name=note]").fill("杂物已清走")
    task_row.locator(".task-finish input[name=photo]").set_input_files(
        photo_file(tmp_path, "after.jpg", (20, 160, 40))
    )
    task_row.locator(".task-finish button").tap()
    expect(task_row.locator(".task-status")).to_have_text("办结待发送")
    page.screenshot(path=f"{SHOTS}/offline-ticket.png", full_page=True)

    # Try to close the handled manhole cover.
    page.goto(live_server.url + f"/work/offline/#t-{handled.number}")
    close = page.locator("#offline-close")
    close.locator("input[name=photo]").set_input_files(
        photo_file(tmp_path, "check.jpg", (200, 200, 0))
    )
    close.locator("button").tap()
    expect(close).to_be_hidden()

    # File a patrol report.
    lon, lat = grid_a.inside_point()
    page.goto(live_server.url + "/work/offline/#patrol")
    form = page.locator("#offline-patrol")
    form.locator("select[name=category]").select_option("06010")
    form.locator("input[name=lon]").fill(str(lon))
    form.locator("input[name=lat]").fill(str(lat))
    form.locator("textarea[name=description]").fill("路边垃圾堆积")
    form.locator("input[name=photo]").set_input_files(
        photo_file(tmp_path, "patrol.jpg", (90, 30, 160))
    )
    form.locator("button[type=submit]").tap()
    expect(page.locator("#offline-waiting")).to_have_text("5 项操作待发送")

    # Meanwhile the dispatcher closes the manhole cover; nothing of the worker's arrived yet.
    check_and_close(
        report=handled,
        actor=dispatcher,
        photo=SimpleUploadedFile("c.jpg", jpeg_bytes(color=(9, 9, 9)), "image/jpeg"),
    )
    page.reload()
    expect(page.locator("h1")).to_have_text("离线工作台")
    expect(page.locator("#offline-waiting")).to_have_text("5 项操作待发送")
    page.screenshot(path=f"{SHOTS}/offline-list.png", full_page=True)
    blocked_task.refresh_from_db()
    assert blocked_task.status == Task.Status.PENDING
    assert not Report.objects.filter(channel="patrol").exists()

    # Back online: the queue goes out in order; the refused close stays with the server's word.
    go_online(context)
    expect(page.locator("#offline-waiting")).to_have_text("没有待发送的操作", timeout=20_000)
    conflict = page.locator("#offline-conflicts li")
    expect(conflict).to_have_count(1)
    expect(conflict).to_contain_text(handled.number)
    expect(conflict).to_contain_text("该事项已由他人核查结案。")
    page.screenshot(path=f"{SHOTS}/offline-conflict.png", full_page=True)

    blocked_task.refresh_from_db()
    assert blocked_task.status == Task.Status.DONE and blocked_task.done_by == worker_a
    assert Event.objects.filter(report=blocked, kind=Kind.TASK_ACCEPTED).count() == 1
    assert Event.objects.filter(report=blocked, kind=Kind.TASK_PROGRESS).count() == 1
    assert Event.objects.filter(report=blocked, kind=Kind.TASK_DONE).count() == 1
    assert Photo.objects.filter(report=blocked, kind=Photo.Kind.AFTER).count() == 1
    blocked.refresh_from_db()
    assert blocked.status == Status.HANDLED
    (patrol,) = Report.objects.filter(channel="patrol")
    assert patrol.reporter == worker_a and patrol.description == "路边垃圾堆积"
    assert patrol.grid_id == grid_a.id and patrol.photos.count() == 1
    handled.refresh_from_db()
    closes = Event.objects.filter(report=handled, kind=Kind.CLOSED)
    assert [e.actor for e in closes] == [dispatcher]
    assert ActionReceipt.objects.filter(user=worker_a).count() == 4

    # A second replay (the retry timer, another tab) applies nothing more.
    page.evaluate("() => YimaOffline.replay()")
    assert Report.objects.filter(channel="patrol").count() == 1
    assert Event.objects.filter(report=blocked, kind=Kind.TASK_DONE).count() == 1

    # The worker reads the message and discards the close.
    conflict.locator("button.discard").tap()
    expect(conflict).to_have_count(0)


def read_offline_store(page) -> dict:
    """What this phone keeps, read without the app's scripts (the login page has none)."""
    return page.evaluate(
        """async () => {
            const db = await new Promise((resolve) => {
                const open = indexedDB.open("yima-offline");
                open.onupgradeneeded = () => open.result.createObjectStore("kv");
                open.onsuccess = () => resolve(open.result);
            });
            const bundle = await new Promise((resolve) => {
                const tx = db.transaction("kv").objectStore("kv").get("bundle");
                tx.onsuccess = () => resolve(tx.result || null);
            });
            db.close();
            const cached = (await caches.has("yima-user"))
                ? (await (await caches.open("yima-user")).keys()).map((r) => r.url) : [];
            return {numbers: bundle ? bundle.tickets.map((t) => t.number) : [], cached};
        }"""
    )


def test_logging_out_leaves_nothing_of_the_worker_for_the_next_one(
    live_server,
    phone_page,
    login_in_browser,
    offline_setup,
    grid_a,
    worker_a,
    worker_b,
    resident,
):
    report, _ = grid_ticket(grid_a, resident, "楼道堆放杂物")
    photo_url = offline.photo_url(report.photos.get())
    page = phone_page
    login_in_browser(page, worker_a)
    page.goto(live_server.url + "/work/")
    wait_until_ready_offline(page)
    kept = read_offline_store(page)
    assert kept["numbers"] == [report.number]
    assert any(url.endswith(photo_url) for url in kept["cached"])

    with page.expect_navigation(url=live_server.url + "/"):
        page.locator("#logout-form button").tap()
    expect(page.locator("#nav-work")).to_have_count(0)  # signed out
    assert read_offline_store(page) == {"numbers": [], "cached": []}

    login_in_browser(page, worker_b)
    page.goto(live_server.url + "/work/")
    wait_until_ready_offline(page)
    theirs = read_offline_store(page)
    assert report.number not in theirs["numbers"]
    assert not any(url.endswith(photo_url) for url in theirs["cached"])
    go_offline(page.context)
    page.goto(live_server.url + "/work/offline/")
    expect(page.locator("h1")).to_have_text("离线工作台")
    expect(page.locator("#offline-worklist li")).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text(report.number)
    go_online(page.context)
