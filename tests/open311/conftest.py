"""Fixtures for Open311 and machine intake: API keys of each kind, points in Yima, reports."""

import io
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from PIL import Image
from shapely.geometry import shape

from reports import actions
from reports.models import Category, Channel


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # Per-key rates are counted in the cache (this run's own Redis DB).
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _celery_eager():
    from yima_gov.celery import run_tasks_in_process

    run_tasks_in_process(True)
    yield
    run_tasks_in_process(False)


def inside(grid) -> tuple[float, float]:
    point = shape(grid.boundary).representative_point()
    return point.x, point.y


@pytest.fixture
def point_a(grid_a):
    return inside(grid_a)


@pytest.fixture
def third_party_key(db):
    key, raw = actions.issue_api_key(
        name="随手拍 App", channel=Channel.THIRD_PARTY, rate="1000/m", actor=None
    )
    key.raw = raw
    return key


@pytest.fixture
def city_key(db):
    key, raw = actions.issue_api_key(
        name="数字城管系统", channel=Channel.CITY_MANAGEMENT, rate="1000/m", actor=None
    )
    key.raw = raw
    return key


@pytest.fixture
def streetlight(categories) -> Category:
    """01037 路灯异常: public, with a required attribute (lamp_state)."""
    return Category.objects.by_code("01037")


@pytest.fixture
def road(categories) -> Category:
    """06013 道路破损: public, no attributes."""
    return Category.objects.by_code("06013")


@pytest.fixture
def gas(categories) -> Category:
    """01057 露天燃气管道异常: private (public=n in categories.csv)."""
    category = Category.objects.by_code("01057")
    assert not category.public
    return category


def jpeg_bytes(size=(320, 240), color=(200, 80, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return out.getvalue()


def file_report(category, point, **kwargs):
    """A report filed by a resident through the web (photos required there)."""
    kwargs.setdefault("photos", [jpeg_bytes()])
    kwargs.setdefault("description", "路灯不亮")
    return actions.submit_report(category=category, lon=point[0], lat=point[1], **kwargs)


def parse_xml(response) -> ET.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    body = response.content.decode("utf-8")
    assert body.startswith('<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)
