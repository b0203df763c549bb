"""Fixtures of the permission tests: the dispatcher's units, rules and helpers (shared with
tests/dispatch)."""

import pytest

from tests.dispatch.conftest import (  # noqa: F401  (fixtures)
    jpeg,
    photo,
    point_in,
    pole,
    staff_of,
    submit,
    units,
)


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    # New CSS/JS must render before anyone ran collectstatic (the manifest would miss them).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
