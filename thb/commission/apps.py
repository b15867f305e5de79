from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommissionConfig(AppConfig):
    name = "thb.commission"
    label = "commission"
    verbose_name = _("Specialist commission")

    def ready(self) -> None:
        from thb.commission import demo, links, selectors
        from thb.core.registry import (
            register_audit_events,
            register_case_links,
            register_deadlines,
            register_demo,
        )

        register_case_links(links.case_links, event_labels=links.EVENT_LABELS)
        register_deadlines(selectors.submission_deadlines)
        register_demo("commission", demo.load)
        register_audit_events(
            {
                "commission.submission create": _(
                    "Case %(reference)s put before the specialist commission"
                ),
                "commission.meeting create": _("Specialist commission meeting convened"),
                "commission.meeting update attendance": _(
                    "Attendance of a commission meeting recorded"
                ),
                "commission.meeting update agenda": _("Agenda of a commission meeting set"),
                "commission.position create": _("Position on case %(reference)s recorded"),
                "commission.agendaitem update decision": _(
                    "Commission decision on case %(reference)s recorded"
                ),
                "commission.meeting export minutes": _(
                    "Minutes of a commission meeting downloaded"
                ),
            }
        )
