"""Repeated failed logins for one phone number from one client are slowed down, then locked; other
numbers and other clients are not."""

import pytest
from django.core.cache import cache

from accounts import login_throttle
from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"


@pytest.fixture
def clock(monkeypatch):
    """A clock the test moves by hand: now[0] is the current time in seconds."""
    now = [1_000_000.0]
    monkeypatch.setattr(login_throttle, "clock", lambda: now[0])
    return now


# The Django test client's address (REMOTE_ADDR).
CLIENT = "127.0.0.1"


@pytest.fixture(autouse=True)
def fresh_counts():
    cache.clear()
    yield
    cache.clear()


def attempt(client, phone: str, password: str):
    return client.post(LOGIN, {"username": phone, "password": password})


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_right_password_logs_in(client, resident):
    response = attempt(client, resident.phone, PASSWORD)
    assert response.status_code == 302
    assert logged_in(client)


def test_after_three_failures_the_next_attempt_must_wait(client, resident, clock):
    for _ in range(3):
        assert "手机号或密码不正确" in attempt(client, resident.phone, "wrong").content.decode()
    response = attempt(client, resident.phone, PASSWORD)
    assert response.status_code == 200
    assert "请 2 秒后再试" in response.content.decode()
    assert not logged_in(client)
    clock[0] += 2
    assert attempt(client, resident.phone, PASSWORD).status_code == 302
    assert logged_in(client)


def test_the_wait_grows_with_each_further_failure(client, resident, clock, settings):
    # An attempt during the wait counts toward the lock too; leave room to see the message.
    settings.AXES_FAILURE_LIMIT = 10
    for _ in range(3):
        attempt(client, resident.phone, "wrong")
    clock[0] += 2
    attempt(client, resident.phone, "wrong")  # the 4th failure
    assert "请 4 秒后再试" in attempt(client, resident.phone, PASSWORD).content.decode()


def test_a_success_clears_the_count(client, resident, clock):
    for _ in range(2):
        attempt(client, resident.phone, "wrong")
    attempt(client, resident.phone, PASSWORD)
    client.logout()
    attempt(client, resident.phone, "wrong")
    assert login_throttle.wait_seconds(resident.phone, CLIENT) == 0


def test_five_wrong_passwords_lock_the_number_even_against_the_right_one(
    client, resident, other_resident, clock
):
    for _ in range(5):
        clock[0] += 120  # wait out every slow-down: only the lock is left to stop the attempt
        attempt(client, resident.phone, "wrong")
    clock[0] += 120
    response = attempt(client, resident.phone, PASSWORD)
    assert response.status_code == 429
    assert "已暂时锁定" in response.content.decode()
    assert not logged_in(client)
    # Another phone number from the same address is not affected.
    response = attempt(client, other_resident.phone, PASSWORD)
    assert response.status_code == 302
    assert logged_in(client)


def test_the_admin_login_speaks_chinese(client):
    html = client.get("/admin/login/").content.decode()
    assert "义马 全域网格 管理后台" in html
    assert "手机号" in html and "密码" in html
