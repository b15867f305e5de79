from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "thb.linkage"
    label = "linkage"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from thb.core.registry import (
            register_audit_events,
            register_demo,
            register_identity_listener,
            register_identity_stager,
        )
        from thb.linkage import demo, figures, services

        register_identity_listener(services.identities_written)
        register_identity_stager(services.identities_staged)
        figures.register()
        register_demo("linkage", demo.load)
        register_audit_events(
            {
                "linkage.linkcandidate create": _("Possible duplicate %(reference)s proposed"),
                "linkage.linkcandidate update confirmed": _(
                    "Possible duplicate %(reference)s confirmed by one owner"
                ),
                "linkage.linkcandidate update linked": _(
                    "Persons of pair %(reference)s linked: counted once"
                ),
                "linkage.linkcandidate update rejected": _(
                    "Possible duplicate %(reference)s rejected"
                ),
            }
        )
