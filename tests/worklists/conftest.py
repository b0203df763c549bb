"""Fixtures of the worklist tests: the dispatcher's units, rules and helpers (shared with
tests/dispatch), and a routed pole report with one staff member per unit."""

from tests.dispatch.conftest import (  # noqa: F401  (fixtures)
    jpeg,
    photo,
    pole,
    point_in,
    staff_of,
    submit,
    units,
)

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    # New CSS/JS must render before anyone ran collectstatic (the manifest would miss them).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
