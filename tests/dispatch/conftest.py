"""Fixtures of the dispatcher's tests: units and rules seeded, unit staff, reports in a grid."""

import io
import os

import pytest
from PIL import Image
from shapely.geometry import shape

from accounts.models import User
from dispatch import seed
from dispatch.models import Unit, UnitMembership
from reports import actions as report_actions
from tests.conftest import make_user


@pytest.fixture
def units(yima, categories):
    """Every unit (departments, offices, committees, 214 grid teams) and the city-wide rules."""
    seed.seed_units()
    seed.seed_rules()
    return {u.code: u for u in Unit.objects.exclude(kind=Unit.Kind.GRID)}


_phones = iter(range(13700000000, 13799999999))


@pytest.fixture
def staff_of(units):
    """staff_of("CG") → a new person on that unit's staff (role="head" for its head)."""

    def _staff(code: str, role: str = UnitMembership.Role.STAFF) -> User:
        user = make_user(str(next(_phones)), f"{code} {role}")
        UnitMembership.objects.create(user=user, unit=Unit.objects.get(code=code), role=role)
        return user

    return _staff


def point_in(grid) -> tuple[float, float]:
    point = shape(grid.boundary).representative_point()
    return point.x, point.y


@pytest.fixture
def submit(units, grid_a, resident):
    """submit("01030") → a report filed by the resident in grid A (not routed yet)."""

    def _submit(code: str, *, grid=None, **extra):
        lon, lat = point_in(grid or grid_a)
        extra.setdefault("reporter", resident)
        return report_actions.submit_report(
            category=code,
            lon=lon,
            lat=lat,
            description="测试上报",
            require_photo=False,
            **extra,
        )

    return _submit


def jpeg(color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def photo():
    """An uploaded after-photo (a small JPEG), different each call."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    colors = iter((i * 7 % 255, i * 13 % 255, i * 29 % 255) for i in range(1, 1000))

    def _photo():
        return SimpleUploadedFile("after.jpg", jpeg(next(colors)), content_type="image/jpeg")

    return _photo


POLE_UNITS = ("CG", "ZJ", "DL", "YD", "LT", "DX")


@pytest.fixture
def pole(submit, staff_of):
    """The electric-pole report (01030 电力立杆异常) routed to six units, with one staff member in each.

    Returns (report, {unit code: task}, {unit code: person})."""
    from dispatch.actions.routing import route_report

    people = {code: staff_of(code) for code in POLE_UNITS}
    report = submit("01030")
    tasks = {t.unit.code: t for t in route_report(report_id=report.id)}
    report.refresh_from_db()
    return report, tasks, people


@pytest.fixture
def celery_worker_process(transactional_db):
    """A real Celery worker (subprocess) on the test database and the configured Redis broker.

    Tests using it must commit (transactional_db), so the worker sees their rows."""
    from tests.dispatch.processes import Worker, configured_broker_url, purge

    broker = configured_broker_url()
    purge(broker)
    worker = Worker(broker).start()
    yield worker
    worker.stop()


@pytest.fixture
def own_redis():
    """redis-server on our own port (6421, or TEST_FAULT_REDIS_PORT so suites can run side by side),
    stopped after the test whatever happened."""
    from tests.dispatch.processes import RedisServer

    server = RedisServer(int(os.environ.get("TEST_FAULT_REDIS_PORT", "6421")))
    yield server
    server.stop()
