from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "thb.accounts"
    label = "accounts"

    def ready(self) -> None:
        from thb.accounts import signals  # noqa: F401  (connects the receivers)
