"""Fixtures for the reports tests: photos made in memory, a tmp MEDIA_ROOT, points in Yima."""

import io
import os
from pathlib import Path

import pytest
from django.core.cache import cache
from PIL import Image

from reports.models import Category


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    """Every reports test writes photos into its own directory, so it can count files."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture(autouse=True)
def _unhashed_static_files(settings):
    # Pages render {% static %} without a collectstatic run (the manifest is built only by CI).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # The anonymous submission limit is counted in the cache (this run's own Redis DB).
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _celery_eager(settings):
    # Thumbnails are made by a Celery task queued on commit; run it in-process in tests.
    from yima_gov.celery import run_tasks_in_process

    run_tasks_in_process(True)
    yield
    run_tasks_in_process(False)


def files_under(root: Path) -> list[str]:
    return sorted(
        os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(root) for f in fs
    )


def jpeg_bytes(
    size=(640, 480), color=(200, 80, 40), *, exif: Image.Exif | None = None, quality=85
) -> bytes:
    image = Image.new("RGB", size, color)
    out = io.BytesIO()
    kwargs = {"exif": exif.tobytes()} if exif is not None else {}
    image.save(out, "JPEG", quality=quality, **kwargs)
    return out.getvalue()


def png_bytes(size=(64, 48), color=(10, 120, 200, 255)) -> bytes:
    image = Image.new("RGBA", size, color)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def gps_exif(lon: float, lat: float, *, orientation: int | None = None) -> Image.Exif:
    def dms(value: float):
        value = abs(value)
        degrees = int(value)
        minutes = int((value - degrees) * 60)
        seconds = round((value - degrees - minutes / 60) * 3600, 4)
        return (float(degrees), float(minutes), seconds)

    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make: must not survive into the stored copy
    if orientation:
        exif[0x0112] = orientation
    exif[0x8825] = {
        1: "N" if lat >= 0 else "S",
        2: dms(lat),
        3: "E" if lon >= 0 else "W",
        4: dms(lon),
    }
    return exif


@pytest.fixture
def point_a(grid_a) -> tuple[float, float]:
    """(lon, lat) well inside grid A."""
    return grid_a.inside_point()


@pytest.fixture
def point_b(grid_b) -> tuple[float, float]:
    return grid_b.inside_point()


OUTSIDE_YIMA = (116.40, 39.90)  # Beijing


@pytest.fixture
def streetlight(categories) -> Category:
    """A public leaf category."""
    return Category.objects.reportable().filter(public=True).first()


@pytest.fixture
def private_category(categories) -> Category:
    leaf = Category.objects.reportable().filter(public=False).first()
    if leaf is None:  # make one private for the test, as an administrator would
        leaf = Category.objects.reportable().last()
        Category.objects.filter(id=leaf.id).update(public=False)
        leaf.refresh_from_db()
    return leaf
