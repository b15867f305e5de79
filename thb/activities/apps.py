from importlib import import_module

from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "thb.activities"
    label = "activities"

    def ready(self) -> None:
        from thb.activities import demo, figures
        from thb.core.registry import register_demo

        figures.register()
        # The app's import types declare themselves (register) as the module loads.
        import_module("thb.activities.imports")
        register_demo("activities", demo.load)
