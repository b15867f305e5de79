from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "thb.accounts"
    label = "accounts"
    verbose_name = _("Users and institutions")

    def ready(self) -> None:
        from thb.accounts import checks, imports, signals  # noqa: F401  (registers them)
