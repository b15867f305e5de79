"""Who works with criminal proceedings. One place for the rules, used by selectors,
services, views, the API and the import types."""

from __future__ import annotations

from django.db.models import Q

from thb.accounts.models import Role, User
from thb.profiles import get_profile


def country_code(value: object) -> str:
    """The ISO code of a CountryField value ("" when none); the stubs type it as str."""
    return str(getattr(value, "code", value) or "")


def is_justice_user(actor: User) -> bool:
    """Enters and sees its own institution's proceedings: a process director (police,
    prosecutor, border guard investigator) or a reporter of an institution kind the
    profile lists (police, prosecutor's office, court)."""
    if not actor.is_active or actor.institution_id is None:
        return False
    if actor.role == Role.PROCESS_DIRECTOR:
        return True
    return (
        actor.role == Role.REPORTER
        and actor.institution is not None
        and actor.institution.kind in get_profile().justice.reporter_institution_kinds
    )


def sees_all_proceedings(actor: User) -> bool:
    """The coordinator (and the administrator) read every proceeding, never identities."""
    return actor.is_active and actor.role in (Role.COORDINATOR, Role.ADMINISTRATOR)


def can_use_justice(actor: User) -> bool:
    return is_justice_user(actor) or sees_all_proceedings(actor)


def proceeding_scope(actor: User) -> Q | None:
    """The proceedings the actor may see, or None for none at all. An institution sees
    the proceedings it investigates and those it handles at some stage (the prosecutor's
    office it was transferred to, the court it was sent to)."""
    if sees_all_proceedings(actor):
        return Q()
    if not is_justice_user(actor):
        return None
    return Q(institution_id=actor.institution_id) | Q(stages__institution_id=actor.institution_id)
