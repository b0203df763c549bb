"""Celery tasks of the stats app: thin; the refresh is idempotent and safe to run concurrently
(its state row is locked), so beat may fire it late or twice."""

from celery import shared_task
from django.db import OperationalError

from stats import rollup


# Retry only a database restart or failover; anything else is a bug that would repeat.
@shared_task(name="stats.refresh_rollups", autoretry_for=(OperationalError,), max_retries=3)
def refresh_rollups() -> int:
    return rollup.refresh_recent()
