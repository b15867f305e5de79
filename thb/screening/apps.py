from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "thb.screening"
    label = "screening"
    verbose_name = _("Screening")

    def ready(self) -> None:
        from thb.core.registry import register_demo, registry
        from thb.screening import demo

        # Labels of the case timeline events the screening services write.
        registry.event_labels.update(
            {
                "screening_recorded": _("Screening recorded"),
                "screening_attached": _("Screening attached"),
            }
        )
        register_demo("screening", demo.load)
