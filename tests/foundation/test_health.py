"""/healthz answers while the process lives; /readyz names the part that is down with a 503."""

import copy

import pytest
from django.db import connections

from yima_gov import health

CLOSED_PORT = 6409  # in this suite's port range; nothing listens there


def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_ok_when_database_and_broker_answer(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "ok"}


@pytest.fixture
def unreachable_database(monkeypatch):
    """A connection like the real one, to a port where no database listens."""
    settings_dict = copy.deepcopy(connections["default"].settings_dict)
    settings_dict.update(HOST="127.0.0.1", PORT=str(CLOSED_PORT))
    if connections["default"].vendor == "sqlite":
        settings_dict["NAME"] = "/nonexistent-dir/db.sqlite3"
    real = connections["default"]
    broken = type(real)(settings_dict, alias="default")
    monkeypatch.setattr(health, "connection", broken)
    yield
    broken.close()


def test_readyz_names_the_database_when_it_is_unreachable(client, db, unreachable_database):
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert list(body["failing"]) == ["database"]
    assert "OperationalError" in body["failing"]["database"]


def test_readyz_names_the_broker_when_redis_is_unreachable(client, db, settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{CLOSED_PORT}/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert list(body["failing"]) == ["broker"]
    assert str(CLOSED_PORT) in body["failing"]["broker"] or "refused" in body["failing"]["broker"]


def test_healthz_stays_ok_while_dependencies_are_down(client, db, settings, unreachable_database):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{CLOSED_PORT}/0"
    assert client.get("/healthz").status_code == 200
    assert set(client.get("/readyz").json()["failing"]) == {"database", "broker"}
