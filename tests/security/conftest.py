"""Fixtures for the security tests: those of the reports tests (photos in memory, a tmp
MEDIA_ROOT, fresh rate limits, eager thumbnails, points and categories)."""

from tests.reports.conftest import (  # noqa: F401  (fixtures)
    _celery_eager,
    _fresh_rate_limits,
    _unhashed_static_files,
    media_root,
    point_a,
    point_b,
    private_category,
    streetlight,
)
