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


def run_tasks_in_process(value: bool = True) -> None:
    """Tests: run tasks eagerly (in this process) or not. Set under the Django setting's own
    name: with the CELERY namespace, Celery looks a key up by its prefixed name first, so a value
    set as `task_always_eager` would stay hidden behind CELERY_TASK_ALWAYS_EAGER."""
    app.conf.update(CELERY_TASK_ALWAYS_EAGER=value, task_always_eager=value)
