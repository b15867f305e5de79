from django.apps import AppConfig


class ResidenceConfig(AppConfig):
    name = "thb.residence"
    label = "residence"

    def ready(self) -> None:
        from thb.core.registry import register_case_links, register_dashboard, register_demo
        from thb.residence import dashboard, demo, figures, links

        figures.register()
        register_case_links(
            links.case_links, event_labels=links.EVENT_LABELS, event_dates=links.EVENT_DATES
        )
        register_demo("residence", demo.load)
        register_dashboard(dashboard.sections)
