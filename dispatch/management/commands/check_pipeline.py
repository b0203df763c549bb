"""`manage.py check_pipeline`: exit 1 when routing is stalled (the worker container's health check).

The same answer as /readyz/pipeline, for places that have no web server at hand."""

import json

from django.core.management.base import BaseCommand, CommandError

from dispatch.pipeline import pipeline_health


class Command(BaseCommand):
    help = "Exit 1 when the routing pipeline is stalled (no worker heartbeat, or reports waiting)."

    def handle(self, *args, **options):
        health = pipeline_health()
        self.stdout.write(json.dumps(health.as_json(), ensure_ascii=False))
        if health.stalled:
            raise CommandError("; ".join(health.problems))
