"""Helpers for the import tests: a user allowed to import a type, and snapshots of
the record counts so that 'nothing saved' can be checked for any type."""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps

from thb.accounts.models import Institution, User
from thb.interop.registry import ImportType

# Rows the framework itself writes whatever the outcome.
IGNORED = {"audit.auditevent", "audit.auditchainhead", "sessions.session"}


def record_counts() -> dict[str, int]:
    return {
        model._meta.label_lower: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.label_lower not in IGNORED
    }


def importer_for(
    import_type: ImportType,
    make_user: Callable[..., User],
    make_institution: Callable[..., Institution],
) -> User:
    kind = import_type.extra.get("institution_kind", "other")
    institution = make_institution(f"imp-{kind}".replace("_", "-")[:40], kind)
    return make_user(f"importer-{import_type.name}"[:150], import_type.roles[0], institution)
