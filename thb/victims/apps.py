from django.apps import AppConfig


class VictimsConfig(AppConfig):
    name = "thb.victims"
    label = "victims"

    def ready(self) -> None:
        from thb.victims import figures

        figures.register()
