from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "thb.returns"
    label = "returns"

    def ready(self) -> None:
        from thb.core.registry import (
            register_case_links,
            register_deadlines,
            register_demo,
        )
        from thb.returns import demo, figures, links, selectors

        figures.register()
        register_case_links(
            links.case_links, event_labels=links.EVENT_LABELS, event_dates=links.EVENT_DATES
        )
        register_deadlines(selectors.deadline_items_for)
        register_demo("returns", demo.load)
