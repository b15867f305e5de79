from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "thb.activities"
    label = "activities"

    def ready(self) -> None:
        from thb.activities import figures

        figures.register()
