"""Who works with criminal proceedings: the only place the rules are written, used by
selectors, services, views, the API and the import types.

Process directors (police, prosecutors, border guard investigators) and the reporters
of the institution kinds the profile lists (police, prosecutor's office, court) enter
and see their own institution's proceedings and those it handles at some stage; the
coordinator and the administrator read every proceeding, never a victim's case code."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

from thb.accounts.models import Role, User
from thb.core.routes import Route, ok, route
from thb.profiles import get_profile

if TYPE_CHECKING:
    from thb.justice.models import NonPunishmentDecision, Proceeding
    from thb.victims.models import Case


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


def shows_victim_codes(actor: User) -> bool:
    """The coordinator sees injured parties only as counts, never case codes."""
    return not sees_all_proceedings(actor)


def non_punishment_scope(actor: User) -> Q | None:
    """The non-punishment decisions the actor may list: all for the coordinator, its own
    institution's for a justice user."""
    if sees_all_proceedings(actor):
        return Q()
    if not is_justice_user(actor):
        return None
    return Q(institution_id=actor.institution_id)


def can_change_non_punishment(actor: User, decision: NonPunishmentDecision | None) -> bool:
    """A new decision by a justice user; an existing one by its own institution."""
    return is_justice_user(actor) and (
        decision is None or decision.institution_id == actor.institution_id
    )


def can_link_case(case: Case, proceeding: Proceeding) -> bool:
    """A victim case can be linked as an injured party only once its owning provider has
    routed it to this proceeding's institution: the provider decides whom the victim's
    record is shared with, so a code alone never opens a case."""
    return case.proceeding_institution_id == proceeding.institution_id and (
        case.proceeding_reference in ("", proceeding.number)
    )


# Expected statuses of this app's routes (thb/core/routes.py explains the table). The
# pages do not exist (404) for users who do not work with proceedings.
JUSTICE_USERS = ("director", "court")
READERS = (*JUSTICE_USERS, "coordinator", "admin")
CHILD: dict[str, Any] = {"kind": "proceeding", "default": 404, "director": 200, "court": 200}
ROUTES: dict[str, Route] = {
    "justice:proceeding_list": ok(*READERS, default=404),
    "justice:proceeding_create": ok(*JUSTICE_USERS, default=404),
    # The old address of the statistics: a redirect to the report's page for anyone
    # (that page checks the role).
    "justice:statistics": route(default=302, anonymous=302),
    "justice:non_punishment_list": ok(*READERS, default=404),
    "justice:non_punishment_create": ok(*JUSTICE_USERS, default=404),
    "justice:proceeding_detail": route(
        **CHILD, coordinator=(200, 200), admin=(200, 200), shows_codes=True
    ),
    "justice:proceeding_edit": route(**CHILD),
    "justice:injured_party_add": route(**CHILD),
    "justice:suspect_add": route(**CHILD),
    "justice:property_add": route(**CHILD),
    "justice:stage_add": route(**CHILD),
    "justice:judgment_add": route(**CHILD),
    "GET /api/v1/justice/proceedings": ok(*READERS, default=404),
    "GET /api/v1/justice/proceedings/{pk}": route(
        **CHILD, coordinator=(200, 200), admin=(200, 200), shows_codes=True
    ),
}
