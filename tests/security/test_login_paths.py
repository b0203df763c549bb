"""One password path: no HTTP Basic on the API, the slow-down and the lock hold at the admin's
login too, and the lock is per (phone number, client) so that a stranger cannot lock staff out."""

import base64

import pytest
from django.core.cache import cache

from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/?next=/admin/"
ATTACKER = "203.0.113.9"
OFFICE = "198.51.100.7"


@pytest.fixture(autouse=True)
def fresh_counts():
    cache.clear()
    yield
    cache.clear()


def basic(user, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user.phone}:{password}".encode()).decode()


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_http_basic_with_the_right_password_does_not_open_the_api(client, resident):
    response = client.get("/api/v1/reports/mine/", HTTP_AUTHORIZATION=basic(resident, PASSWORD))
    assert response.status_code in (401, 403)
    assert not logged_in(client)


def test_eight_wrong_basic_passwords_then_the_right_one_still_get_nothing(client, resident):
    for _ in range(8):
        client.get("/api/v1/reports/mine/", HTTP_AUTHORIZATION=basic(resident, "wrong"))
    response = client.get("/api/v1/reports/mine/", HTTP_AUTHORIZATION=basic(resident, PASSWORD))
    assert response.status_code in (401, 403)


def test_an_account_locked_at_the_login_form_is_locked_at_the_admin_login_too(
    client, admin_user, settings
):
    settings.LOGIN_SLOWDOWN_AFTER = 100  # only the lock is left to stop the attempts
    for _ in range(5):
        client.post(LOGIN, {"username": admin_user.phone, "password": "wrong"})
    response = client.post(ADMIN_LOGIN, {"username": admin_user.phone, "password": PASSWORD})
    assert response.status_code == 429
    assert not logged_in(client)


def test_the_admin_login_is_slowed_down_like_the_form(client, admin_user):
    for _ in range(3):
        response = client.post(ADMIN_LOGIN, {"username": admin_user.phone, "password": "wrong"})
        assert response.status_code == 200
    # At once after the third failure: refused before the password is checked.
    client.post(ADMIN_LOGIN, {"username": admin_user.phone, "password": PASSWORD})
    assert not logged_in(client)


def test_a_strangers_wrong_passwords_do_not_lock_the_dispatcher_at_their_desk(
    client, dispatcher, settings
):
    settings.LOGIN_SLOWDOWN_AFTER = 100
    for _ in range(6):
        client.post(
            LOGIN, {"username": dispatcher.phone, "password": "wrong"}, REMOTE_ADDR=ATTACKER
        )
    stranger = client.post(
        LOGIN, {"username": dispatcher.phone, "password": PASSWORD}, REMOTE_ADDR=ATTACKER
    )
    assert stranger.status_code == 429  # the pair the failures came from is locked
    response = client.post(
        LOGIN, {"username": dispatcher.phone, "password": PASSWORD}, REMOTE_ADDR=OFFICE
    )
    assert response.status_code == 302
    assert logged_in(client)


def test_a_strangers_failures_do_not_slow_the_owner_down(client, resident):
    for _ in range(3):
        client.post(LOGIN, {"username": resident.phone, "password": "wrong"}, REMOTE_ADDR=ATTACKER)
    response = client.post(
        LOGIN, {"username": resident.phone, "password": PASSWORD}, REMOTE_ADDR=OFFICE
    )
    assert response.status_code == 302


def test_a_forged_forwarded_header_does_not_escape_the_lock(client, resident, settings):
    settings.LOGIN_SLOWDOWN_AFTER = 100
    for i in range(5):
        client.post(
            LOGIN,
            {"username": resident.phone, "password": "wrong"},
            REMOTE_ADDR=ATTACKER,
            HTTP_X_FORWARDED_FOR=f"10.0.0.{i}",
        )
    response = client.post(
        LOGIN,
        {"username": resident.phone, "password": PASSWORD},
        REMOTE_ADDR=ATTACKER,
        HTTP_X_FORWARDED_FOR="10.0.0.99",
    )
    assert response.status_code == 429
    assert not logged_in(client)
