from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "thb.support"
    label = "support"

    def ready(self) -> None:
        from thb.support import figures

        figures.register()
