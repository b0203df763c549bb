"""Real-browser tests: Playwright's sync API driving Debian's Chromium against pytest-django's
live server.

How to write one
----------------
    import pytest

    pytestmark = [pytest.mark.e2e]

    def test_resident_reports_a_broken_light(live_server, phone_page, yima):
        phone_page.goto(live_server.url + "/")
        phone_page.get_by_role("link", name="网格地图").tap()
        ...

Fixtures
--------
- `browser` (session): one headless /usr/bin/chromium for the whole run. Never `playwright
  install`; the browser comes from apt (`make browser`).
- `phone_page`: a fresh context and page per test, sized like a phone (390x844, touch, mobile),
  Chinese locale, Asia/Shanghai clock. Every request to a host other than the live server is
  aborted and recorded in `phone_page.external_requests` (the app must work offline, no CDN), and
  uncaught JavaScript errors are collected in `phone_page.js_errors`, and whatever the
  Content-Security-Policy blocked in `phone_page.csp_violations`; the fixture fails the test at
  teardown when any of the lists is not empty.
- `e2e_static_files` (autouse): serves static files unhashed from the finders, so the live
  server needs no `collectstatic` run.
- `login_in_browser(page, user)`: signs `user` in through the real login form (password
  `tests.conftest.PASSWORD`), then returns to where it was.

Notes
-----
- Request `live_server`: pytest-django then gives the test a transactional database (the server
  runs in another thread and must see committed rows), flushed after each test.
- DJANGO_ALLOW_ASYNC_UNSAFE is set here because Playwright's sync API runs an event loop in the
  test's thread, and Django refuses database access from a thread with a running loop otherwise.
- Service workers: their requests go through `context.route` too, so a test can cut them off
  (tests/e2e/test_offline_worklist.py); `set_offline` alone does not.
- Keep each test short: one user journey, assertions through what the user sees. Use Playwright's
  auto-waiting locators (`expect(locator).to_have_count(n)`) instead of sleeps.
"""

import os
from urllib.parse import urlparse

import pytest
from playwright.sync_api import sync_playwright

from tests.conftest import PASSWORD

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
# context.set_offline() does not reach a service worker's own fetches (playwright#2311): with
# this, they pass through context.route, where the offline worklist's test aborts them.
os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    "locale": "zh-CN",
    "timezone_id": "Asia/Shanghai",
}
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (Debian's chromium package)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def e2e_static_files(settings):
    # The live server serves /static/ from the finders; hashed manifest names would not be found.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def phone_page(browser, live_server):
    context = browser.new_context(**PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    allowed_host = urlparse(live_server.url).netloc
    page = context.new_page()
    page.external_requests = []
    page.js_errors = []

    def only_the_app(route):
        url = route.request.url
        if url.startswith(("data:", "blob:")) or urlparse(url).netloc == allowed_host:
            route.continue_()
        else:
            page.external_requests.append(url)
            route.abort()

    context.route("**/*", only_the_app)
    page.csp_violations = []
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))

    def csp_violation(message):
        if message.type == "error" and "Content Security Policy" in message.text:
            page.csp_violations.append(message.text)

    page.on("console", csp_violation)
    yield page
    context.close()
    assert page.external_requests == [], "the page asked for assets outside the app"
    assert page.js_errors == [], "uncaught JavaScript errors"
    assert page.csp_violations == [], "the Content-Security-Policy blocked something"


@pytest.fixture
def login_in_browser(live_server):
    def _login(page, user):
        back = page.url if page.url.startswith(live_server.url) else live_server.url + "/"
        page.goto(live_server.url + "/accounts/login/")
        page.locator("input[name=username]").fill(user.phone)
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        page.goto(back)
        return page

    return _login
