from django.apps import AppConfig


class JusticeConfig(AppConfig):
    name = "thb.justice"
    label = "justice"

    def ready(self) -> None:
        from thb.justice import figures

        figures.register()
