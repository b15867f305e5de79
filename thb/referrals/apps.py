from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "thb.referrals"
    label = "referrals"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from thb.core.registry import (
            register_audit_events,
            register_case_links,
            register_deadlines,
            register_demo,
        )
        from thb.referrals import demo, figures, links, selectors

        figures.register()
        register_deadlines(selectors.referral_deadlines)
        register_case_links(links.case_links, event_labels=links.EVENT_LABELS)
        register_demo("referrals", demo.load)
        register_audit_events(
            {
                "referrals.referral create": _("Referral %(reference)s sent"),
                "referrals.referral update accepted": _("Referral %(reference)s accepted"),
                "referrals.referral update declined": _("Referral %(reference)s declined"),
                "referrals.anonymousnotification create": _(
                    "Anonymous notification %(reference)s recorded"
                ),
            }
        )
