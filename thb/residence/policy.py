"""Who may see and do what on a foreign victim's residence track: the only place the
rules are written. The timeline is open to the caseworkers of the institution that
owns the case and to the process director of its proceeding (the victim register's
`CasePolicy`); the caseworker records the information and the application, the
process director the decision, the evaluation and the permit requests; the migration
office sees the requests addressed to it and records the permits it issued. Each
institution's deadlines are seen by its users in the responsible role."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from thb.accounts.models import InstitutionKind, Role, User
from thb.core.routes import Route, ok, route
from thb.residence.models import PermitRequest
from thb.victims.models import Case
from thb.victims.policy import CasePolicy

TRACK_ROLES = (Role.CASEWORKER, Role.PROCESS_DIRECTOR)


def is_caseworker(actor: User, case: Case) -> bool:
    return CasePolicy(actor, case).is_owner


def is_process_director(actor: User, case: Case) -> bool:
    return CasePolicy(actor, case).is_process_director


def is_migration_office(actor: User) -> bool:
    return (
        actor.has_role(Role.REPORTER)
        and actor.institution is not None
        and actor.institution.kind == InstitutionKind.MIGRATION_OFFICE
    )


def can_open_tracks(actor: User) -> bool:
    """The roles that work on residence tracks (the object rule is `can_see_track`)."""
    return actor.has_role(*TRACK_ROLES) and actor.institution_id is not None


def can_see_track(actor: User, case: Case) -> bool:
    return is_caseworker(actor, case) or is_process_director(actor, case)


def can_record_permit(actor: User, request: PermitRequest) -> bool:
    return is_migration_office(actor) and actor.institution_id == request.migration_office_id


def permit_request_scope(actor: User) -> Q | None:
    """The permit requests the actor may open: those addressed to its migration office."""
    if not is_migration_office(actor):
        return None
    return Q(migration_office_id=actor.institution_id)


def deadline_scope(actor: User) -> Q | None:
    """The deadlines the actor answers for: its institution's, in its role."""
    if not can_open_tracks(actor):
        return None
    return Q(responsible_institution_id=actor.institution_id, responsible_role=actor.role)


def can_see_deadlines(actor: User) -> bool:
    return deadline_scope(actor) is not None or is_migration_office(actor)


def deadline_recipients() -> Q:
    """The users `thb deadlines notify` writes to (each then gets only their own)."""
    return Q(is_active=True) & (
        Q(role__in=TRACK_ROLES)
        | Q(role=Role.REPORTER, institution__kind=InstitutionKind.MIGRATION_OFFICE)
    )


# Expected statuses of this app's routes (thb/core/routes.py explains the table).
TRACK: dict[str, Any] = {"default": 403, "foreign": 404, "shows_codes": True}
ROUTES: dict[str, Route] = {
    "residence:deadlines": ok("caseworker", "director", "migration", shows_codes=True),
    "residence:permit": route("permit_request", default=403, migration=200, shows_codes=True),
    "residence:track": ok("caseworker", "director", kind="case", **TRACK),
    "residence:information": route("case", caseworker=200, director=(403, 404), **TRACK),
    "residence:application": route("case", caseworker=200, director=(403, 404), **TRACK),
    "residence:decision": route("case", director=200, caseworker=(403, 404), **TRACK),
    "residence:evaluation": route("case", director=200, caseworker=(403, 404), **TRACK),
    "residence:permit_request": route("case", director=200, caseworker=(403, 404), **TRACK),
    "GET /api/v1/residence/deadlines": ok("caseworker", "director", "migration", shows_codes=True),
    "GET /api/v1/residence/{code}": ok(
        "caseworker", "director", kind="case", default=404, shows_codes=True
    ),
}
