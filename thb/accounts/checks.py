"""Start-up check: the institution kinds the code names (InstitutionKind) are declared
in the country profile, so an access rule never tests a kind no institution can have."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register


@register()
def check_institution_kinds(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from thb.accounts.models import InstitutionKind
    from thb.profiles.loader import get_profile

    declared = set(get_profile().codes("institution_kinds"))
    return [
        Error(
            f"The institution kind {kind.value!r} (InstitutionKind.{kind.name}) is not in "
            "the country profile's institution_kinds.",
            hint="Declare it in thb/profiles/<country>/institutions.yaml.",
            id="accounts.E001",
        )
        for kind in InstitutionKind
        if kind.value not in declared
    ]
