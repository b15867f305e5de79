from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "thb.referrals"
    label = "referrals"

    def ready(self) -> None:
        from thb.core.registry import register_case_links, register_deadlines, register_demo
        from thb.referrals import demo, figures, links, selectors

        figures.register()
        register_deadlines(selectors.referral_deadlines)
        register_case_links(links.case_links, event_labels=links.EVENT_LABELS)
        register_demo("referrals", demo.load)
