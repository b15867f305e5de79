from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "thb.support"
    label = "support"
    verbose_name = _("Social rehabilitation")

    def ready(self) -> None:
        from thb.core.registry import register_case_links, register_dashboard, register_demo
        from thb.support import dashboard, demo, figures, links

        figures.register()
        register_case_links(
            links.case_links, event_labels=links.EVENT_LABELS, event_dates=links.EVENT_DATES
        )
        register_demo("support", demo.load)
        register_dashboard(dashboard.sections)
