"""`make demo` seeds a few thousand tickets once; the beat job keeps the figures within a minute."""

import datetime as dt

from django.core.management import call_command
from django.utils import timezone

from reports.models import Report
from stats import selectors, tasks
from stats.filters import Period, parse_scope
from stats.history import NUMBER_PREFIX
from stats.models import RefreshState, TicketFact


def test_demo_seed_generates_history_once_and_leaves_it_on_the_second_run(db, settings):
    call_command("seed_yima", verbosity=0)
    synthetic = Report.objects.filter(number__startswith=NUMBER_PREFIX)
    count = synthetic.count()
    assert 2000 <= count <= 5000
    assert TicketFact.objects.filter(report__in=synthetic).count() == count
    today = timezone.localdate()
    figures = selectors.figures(
        Period("custom", today - dt.timedelta(days=59), today), parse_scope({})
    )
    assert figures.received > 0 and figures.closed > 0
    total = Report.objects.count()
    call_command("seed_yima", verbosity=0)
    assert Report.objects.count() == total


def test_seed_without_demo_makes_no_tickets(db):
    call_command("seed_yima", "--no-demo", verbosity=0)
    assert not Report.objects.exists()


def test_beat_job_brings_a_new_ticket_into_the_figures(history):
    today = timezone.localdate()
    ticket = history[1]
    Report.objects.filter(pk=ticket.pk).update(submitted_at=timezone.now())
    # .update() skips auto_now: move updated_at as an action's save would.
    Report.objects.filter(pk=ticket.pk).update(updated_at=timezone.now())
    tasks.refresh_rollups.apply()
    figures = selectors.figures(Period("today", today, today), parse_scope({}))
    assert figures.received == 1
    assert RefreshState.objects.get(name="rollups").watermark is not None


def test_beat_schedule_runs_the_refresh_every_minute(settings):
    job = settings.CELERY_BEAT_SCHEDULE["stats.refresh_rollups"]
    assert job["task"] == "stats.refresh_rollups" and job["schedule"] == 60.0
