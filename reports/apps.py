from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("上报")

    def ready(self):
        from django.conf import settings

        from grids.gazetteer import register_source
        from reports import receivers  # noqa: F401  (connects the seed receiver)
        from reports.gazetteer import reported_addresses
        from reports.intake import receivers as intake_receivers  # noqa: F401  (hotline group)

        register_source(reported_addresses)
        # Every five minutes: thumbnails whose doorbell was lost while the broker was down.
        settings.CELERY_BEAT_SCHEDULE.setdefault(
            "reports.sweep_missing_thumbnails",
            {"task": "reports.sweep_missing_thumbnails", "schedule": 300.0},
        )
        # Hourly: photo files that no row points to (an outer transaction rolled back).
        settings.CELERY_BEAT_SCHEDULE.setdefault(
            "reports.sweep_orphan_photo_files",
            {"task": "reports.sweep_orphan_photo_files", "schedule": 3600.0},
        )
