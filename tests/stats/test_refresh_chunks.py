"""The rollup refresh writes in short transactions of STATS_REFRESH_CHUNK reports, so that it never
holds the database's write lock for long (the demo's SQLite answered "database is locked" to a
unit accepting a task while a 24-second refresh held it), and still reads every changed report."""

import pytest

from reports.models import Report
from stats import rollup
from stats.history import generate_history
from stats.models import RefreshState, TicketFact


@pytest.fixture
def history(yima, categories, units):
    generate_history(reports=240, seed=7, progress=False)
    # As on a first run: nothing derived yet.
    TicketFact.objects.all().delete()
    RefreshState.objects.all().delete()
    # Many reports changed in the same instant: chunks must not skip or repeat across ties.
    Report.objects.filter(id__in=Report.objects.order_by("id").values("id")[:100]).update(
        updated_at=Report.objects.order_by("id").first().updated_at
    )


def test_a_first_refresh_is_written_in_chunks_and_misses_no_report(history, settings, monkeypatch):
    settings.STATS_REFRESH_CHUNK = 40
    batches = []
    real_sync = rollup.sync_facts

    def counted(ids):
        batches.append(len(ids))
        return real_sync(ids)

    monkeypatch.setattr(rollup, "sync_facts", counted)
    rollup.refresh_recent()
    assert max(batches) <= 40 and len(batches) >= 6
    assert TicketFact.objects.count() == Report.objects.count() == 240
    state = RefreshState.objects.get(name="rollups")
    assert state.watermark == Report.objects.order_by("-updated_at").first().updated_at
