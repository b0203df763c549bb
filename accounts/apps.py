from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("账户")

    def ready(self) -> None:
        from accounts import receivers  # noqa: F401  (connects the login slow-down's counters)
