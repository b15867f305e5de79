from django.apps import AppConfig


class VictimsConfig(AppConfig):
    name = "thb.victims"
    label = "victims"

    def ready(self) -> None:
        from thb.core.registry import register_dashboard, register_demo
        from thb.victims import dashboard, demo, figures, trends

        figures.register()
        trends.register()
        register_dashboard(dashboard.sections)
        register_demo("victims", demo.load)
