from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DispatchConfig(AppConfig):
    name = "dispatch"
    verbose_name = _("派遣")

    def ready(self):
        from django.conf import settings

        from dispatch import calendar, receivers, selectors  # noqa: F401  (receivers: routing…)
        from reports.open311.selectors import publish_lead_unit_selector

        publish_lead_unit_selector(selectors.lead_unit_names)

        calendar.parse_working_hours(settings.DISPATCH_WORKING_HOURS)  # a bad value fails now

        # Periodic jobs (run by `celery beat`): both are safe to run late, twice or concurrently.
        settings.CELERY_BEAT_SCHEDULE.setdefault(
            "dispatch.sweep_submitted",
            {"task": "dispatch.sweep_submitted", "schedule": 60.0, "options": {"expires": 55}},
        )
        settings.CELERY_BEAT_SCHEDULE.setdefault(
            "dispatch.watch_deadlines",
            {"task": "dispatch.watch_deadlines", "schedule": 60.0, "options": {"expires": 55}},
        )
        # Idempotency receipts of the offline worklist's replays (dispatch.idempotency).
        settings.CELERY_BEAT_SCHEDULE.setdefault(
            "dispatch.prune_action_receipts",
            {"task": "dispatch.prune_action_receipts", "schedule": 86400.0},
        )
        # The pipeline's pulse (dispatch.pipeline): a stale one means no worker consumes.
        settings.CELERY_BEAT_SCHEDULE.setdefault(
            "dispatch.heartbeat",
            {"task": "dispatch.heartbeat", "schedule": 30.0, "options": {"expires": 25}},
        )
