from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "thb.interop"
    label = "interop"

    def ready(self) -> None:
        from thb.core.registry import register_record_years
        from thb.interop.selectors import submission_years

        # The submissions pages and the report open on the latest year with records.
        register_record_years(submission_years)
