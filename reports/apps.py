from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("上报")

    def ready(self):
        from reports import receivers  # noqa: F401  (connects the seed receiver)
