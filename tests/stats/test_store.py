"""The precomputed store agrees with a direct computation over generated tickets, and the
incremental refresh picks up changed tickets."""

import datetime as dt

import pytest
from django.utils import timezone

from reports.models import Report
from stats import rollup, selectors
from stats.filters import Period, parse_scope
from stats.history import generate_history
from stats.models import Rollup, TicketFact

COUNTS = (
    "received closed due on_time rated satisfied disputes settled closed_in_grid "
    "closed_in_community reopened tasks returned_tasks extended_tasks duration_count "
    "response_count"
).split()


@pytest.fixture
def generated(yima, categories, units):
    made = generate_history(reports=2000, seed=5, progress=False)
    assert made == 2000
    return made


def _periods():
    today = timezone.localdate()
    return [
        Period("30d", today - dt.timedelta(days=29), today),
        Period("custom", today - dt.timedelta(days=59), today),
        Period("custom", today - dt.timedelta(days=45), today - dt.timedelta(days=3)),
    ]


SCOPES = [{}, {"street": "411281001"}, {"community": "411281003002"}, {"channel": "patrol"}]


def test_store_agrees_with_direct_computation_on_generated_history(generated):
    for scope_params in SCOPES:
        _assert_store_agrees(parse_scope(scope_params))


def _assert_store_agrees(scope):
    for period in _periods():
        stored = selectors.figures(period, scope)
        direct = selectors.figures_from_tickets(period, scope)
        assert direct.received > 0
        for name in COUNTS:
            assert getattr(stored, name) == getattr(direct, name), (name, period)
        assert stored.mean_duration == pytest.approx(direct.mean_duration, abs=0.01)
        assert stored.mean_response == pytest.approx(direct.mean_response, abs=0.01)
        assert stored.median_duration == pytest.approx(direct.median_duration, abs=0.25)


def test_generated_history_has_late_returned_unsatisfied_and_every_channel(generated):
    period = Period("custom", timezone.localdate() - dt.timedelta(days=59), timezone.localdate())
    figures = selectors.figures(period, parse_scope({}))
    assert 0 < figures.on_time < figures.due  # some late
    assert figures.returned_tasks > 0 and figures.extended_tasks > 0
    assert figures.satisfied < figures.rated  # some unsatisfied
    assert len(selectors.by_channel(period, parse_scope({}))) >= 5
    assert TicketFact.objects.count() == 2000


def test_refresh_picks_up_a_ticket_changed_since_the_last_run(generated):
    period = Period("custom", timezone.localdate() - dt.timedelta(days=59), timezone.localdate())
    before = selectors.figures(period, parse_scope({}))
    target = Report.objects.filter(status="rejected").first()
    # Test data change, as an action would make it; updated_at moves forward.
    target.status = "submitted"
    target.save(update_fields=["status", "updated_at"])
    rollup.refresh_recent()
    after = selectors.figures(period, parse_scope({}))
    assert after.received == before.received + 1


def test_refresh_twice_changes_nothing(generated):
    snapshot = sorted(
        Rollup.objects.values_list(
            "granularity",
            "start",
            "level",
            "area_id",
            "channel",
            "category_id",
            "received",
            "closed",
        )
    )
    rollup.refresh_recent()
    rollup.refresh_recent()
    again = sorted(
        Rollup.objects.values_list(
            "granularity",
            "start",
            "level",
            "area_id",
            "channel",
            "category_id",
            "received",
            "closed",
        )
    )
    assert again == snapshot
