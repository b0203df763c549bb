"""Fault tests: real processes (gunicorn, Celery workers, redis-server) on pytest-django's test
database. Each test starts its own redis-server (TEST_FAULT_REDIS_PORT) and stops only what it
started. The dispatcher's fixtures (units and rules, `submit`, `own_redis`) are shared."""

import io

import pytest
from PIL import Image

from tests.dispatch.conftest import own_redis, submit, units  # noqa: F401  (shared fixtures)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()


def photo_jpeg(seed: int) -> bytes:
    """A small photo, different for every seed (so no two reports share a file)."""
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (seed * 7 % 255, seed * 13 % 255, seed * 29 % 255)).save(
        out, "JPEG", quality=80
    )
    return out.getvalue()
