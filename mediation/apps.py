from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediationConfig(AppConfig):
    """议事 (residents' deliberation sessions) and 调解 (mediation of disputes): above dispatch,
    below stats in the one-way stack."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "mediation"
    verbose_name = _("议事与调解")

    def ready(self):
        from mediation import receivers  # noqa: F401  (seed_yima: default organisations)
