from importlib import import_module

from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "thb.interop"
    label = "interop"

    def ready(self) -> None:
        from thb.core.registry import (
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
