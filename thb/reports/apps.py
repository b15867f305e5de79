from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "thb.reports"
    label = "reports"

    def ready(self) -> None:
        from thb.core.registry import register_dashboard
        from thb.reports import dashboard

        register_dashboard(dashboard.sections)
