from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridworkConfig(AppConfig):
    """The grid's own work: volunteers and the 民情 ledger (visits, patrols and what residents
    say). Above dispatch, below stats in the one-way stack."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "gridwork"
    verbose_name = _("网格工作")

    def ready(self):
        from gridwork import receivers  # noqa: F401  (seed_yima: demo volunteers)
