"""The Celery app. Messages are doorbells; the database is the source of truth."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yima_gov.settings")

app = Celery("yima_gov")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="yima.ping")
def ping() -> str:
    """An empty task: the readiness check and the benchmarks measure the broker's round trip."""
    return "pong"
