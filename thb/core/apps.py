from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "thb.core"
    label = "core"

    def ready(self) -> None:
        from thb.core import checks  # noqa: F401  (registers the key checks)

        # A bad country profile must stop start-up, not fail on the first request.
        from thb.profiles import get_profile

        get_profile()
