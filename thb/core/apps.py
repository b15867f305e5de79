from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "thb.core"
    label = "core"

    def ready(self) -> None:
        # A bad country profile must stop start-up, not fail on the first request.
        from thb.profiles import get_profile

        get_profile()
