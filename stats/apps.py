from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "stats"
    verbose_name = _("统计")

    def ready(self):
        from django.conf import settings

        from stats import receivers  # noqa: F401  (demo history on seed_yima)

        # New and changed tickets reach the figures within a minute. Safe late, twice or
        # concurrently: the refresh recomputes whole days from the tickets (idempotent).
        settings.CELERY_BEAT_SCHEDULE.setdefault(
            "stats.refresh_rollups",
            {"task": "stats.refresh_rollups", "schedule": 60.0, "options": {"expires": 55}},
        )
