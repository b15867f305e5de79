from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "thb.screening"
    label = "screening"
    verbose_name = _("Screening")

    def ready(self) -> None:
        from thb.core.registry import register_case_links, register_demo
        from thb.screening import demo, links

        register_case_links(links.case_links, event_labels=links.EVENT_LABELS)
        register_demo("screening", demo.load)
