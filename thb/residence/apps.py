from django.apps import AppConfig


class ResidenceConfig(AppConfig):
    name = "thb.residence"
    label = "residence"

    def ready(self) -> None:
        from thb.residence import figures

        figures.register()
