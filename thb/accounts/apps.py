from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "thb.accounts"
    label = "accounts"

    def ready(self) -> None:
        from thb.accounts import checks, imports, signals  # noqa: F401  (registers them)
