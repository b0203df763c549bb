"""Every operation of /api/schema/ (REST API, Open311, machine intake) against the running app.

Schemathesis generates requests from the OpenAPI schema; each response must not be a server error
and must match what the schema documents (status code, content type, body). Requests are made
in-process (WSGI) on PostgreSQL with Yima's grids, categories, units and rules seeded, as an
administrator (a session cookie with its CSRF token; the API has no HTTP Basic) and with API keys where an operation needs one. Each case runs inside a
savepoint that is rolled back, so cases do not depend on each other.

The number of examples per operation is bounded (SCHEMATHESIS_EXAMPLES, default 25) so that the
whole run takes a few minutes on CI's two cores. Counts are printed at the end.
"""

import logging
import os
import re
import traceback
from collections import defaultdict

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client
from hypothesis import HealthCheck, Phase, given, seed
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from grids.signals import seed_yima
from reports import actions
from reports.models import Channel
from tests.open311.conftest import file_report, inside

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "25"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def world(yima, categories, grid_a, admin_user, settings, tmp_path):
    """Seeded reference data, one real report, and the credentials the operations need."""
    settings.MEDIA_ROOT = tmp_path / "media"
    # Thousands of expected 4xx answers would each log a warning; server errors still log.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    seed_yima.send(sender=None, demo=False, stdout=None)
    from reports.models import Category

    report = file_report(Category.objects.by_code("06013"), inside(grid_a))
    _key, third_party = actions.issue_api_key(
        name="schemathesis", channel=Channel.THIRD_PARTY, rate="100000/m", actor=None
    )
    _key, city = actions.issue_api_key(
        name="schemathesis-city", channel=Channel.CITY_MANAGEMENT, rate="100000/m", actor=None
    )
    browser = Client()
    browser.force_login(admin_user)
    session_id = browser.cookies[django_settings.SESSION_COOKIE_NAME].value
    csrf = "schemathesis0csrf0token000000000"  # a 32-character secret, sent as cookie and header
    # Requests go through the WSGI handler, whose request signals would close the test's database
    # connection (and its transaction); Django's own test client detaches them the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield {
        "report": report,
        "headers": {
            "Cookie": f"{django_settings.SESSION_COOKIE_NAME}={session_id}; "
            f"{django_settings.CSRF_COOKIE_NAME}={csrf}",
            "X-CSRFToken": csrf,
            "X-Api-Key": city,
        },
        "form_key": third_party,
        "known_path_values": {
            "number": report.number,
            "service_request_id": report.number,
            "token": report.tracking_token,
            "service_code": "01037",
        },
    }
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
    logging.getLogger("django.request").setLevel(logging.NOTSET)


def _strategy(operation, known: dict):
    """Generated cases, plus cases whose path points at things that exist (else all are 404s)."""
    names = re.findall(r"{(\w+)}", operation.path)
    generated = operation.as_strategy()
    fixed = {n: known[n] for n in names if n in known}
    if not fixed:
        return generated
    return st.one_of(generated, operation.as_strategy(path_parameters=fixed))


SERVER_ERRORS: list[str] = []


def _remember_server_error(sender, request=None, **kwargs) -> None:
    """Keep the tail of each server error's traceback, so a failure names its cause."""
    SERVER_ERRORS.append(" | ".join(traceback.format_exc().strip().splitlines()[-6:]))


def _failures_of(error: BaseException) -> list:
    return list(getattr(error, "exceptions", None) or [error])


def _exercise(operation, world: dict, cases: dict, failures: dict) -> None:
    """Run EXAMPLES cases of one operation; record failures instead of stopping at the first."""
    label = f"{operation.method.upper()} {operation.path}"

    @seed(20261129)
    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=_strategy(operation, world["known_path_values"]))
    def run(case):
        cache.clear()  # throttles count in the cache: each case starts with a fresh budget
        if case.method == "POST" and "/open311/" in case.path and isinstance(case.body, dict):
            case.body["api_key"] = world["form_key"]
        cases[label] += 1
        SERVER_ERRORS.clear()
        savepoint = transaction.savepoint()
        try:
            case.call_and_validate(headers=world["headers"], checks=CHECKS)
        except (AssertionError, BaseExceptionGroup) as error:
            for failure in _failures_of(error):
                title = getattr(failure, "title", type(failure).__name__)
                detail = " ".join(str(getattr(failure, "message", failure)).split())[:240]
                if SERVER_ERRORS:
                    detail += f" — {SERVER_ERRORS[-1][:1200]}; case: {case.body!r:.300}"
                failures.setdefault((label, title), detail)
        finally:
            transaction.savepoint_rollback(savepoint)

    run()


@pytest.mark.django_db
def test_every_operation_answers_without_server_errors_and_as_documented(world, capsys):
    from yima_gov.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    got_request_exception.connect(_remember_server_error)
    operations = [result.ok() for result in schema.get_all_operations()]
    cases: dict[str, int] = defaultdict(int)
    failures: dict[tuple[str, str], str] = {}

    try:
        for operation in operations:
            _exercise(operation, world, cases, failures)
    finally:
        got_request_exception.disconnect(_remember_server_error)

    with capsys.disabled():
        print(
            f"\nschemathesis: {len(operations)} operations, {sum(cases.values())} test cases, "
            f"{len(failures)} distinct failures"
        )
        for (label, title), example in sorted(failures.items()):
            print(f"  {label}: {title} — {example}")
    assert not failures, "\n".join(
        f"{label}: {title} — {example}" for (label, title), example in sorted(failures.items())
    )
