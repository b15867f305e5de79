from importlib import import_module

from django.apps import AppConfig


class JusticeConfig(AppConfig):
    name = "thb.justice"
    label = "justice"

    def ready(self) -> None:
        from thb.core.registry import register_dashboard, register_demo
        from thb.justice import dashboard, demo, figures

        figures.register()
        # The app's import types declare themselves (register) as the module loads.
        import_module("thb.justice.imports")
        register_demo("justice", demo.load)
        register_dashboard(dashboard.sections)
