from importlib import import_module

from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "thb.interop"
    label = "interop"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from thb.core.registry import (
            register_audit_events,
            register_dashboard,
            register_demo,
            register_record_years,
            register_report_records,
        )
        from thb.interop import dashboard, demo
        from thb.interop.models import Submission
        from thb.interop.selectors import submission_years

        # The app's import types declare themselves (register) as the module loads.
        import_module("thb.interop.imports")
        # The submissions pages and the report open on the latest year with records.
        register_record_years(submission_years)
        register_report_records(Submission)
        register_demo("interop", demo.load)
        register_dashboard(dashboard.sections)
        register_audit_events(
            {
                "interop.submission create": _(
                    "Submission for %(year)s opened for %(institution)s"
                ),
                "interop.submission update": _("Submission for %(year)s edited"),
                "interop.submission update submitted": _(
                    "Submission for %(year)s sent by %(institution)s"
                ),
                "interop.submission update accepted": _(
                    "Submission of %(institution)s for %(year)s accepted"
                ),
                "interop.submission update returned": _(
                    "Submission returned to %(institution)s with a comment"
                ),
                "interop.importjob create": _("File uploaded for import: %(type)s"),
                "interop.import create": _("Records imported: %(type)s"),
            }
        )
