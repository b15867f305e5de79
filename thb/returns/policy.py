"""Who may see and do what on a return plan: the only place the rules are written.

A return plan belongs to the case: the caseworkers of the institution that owns the
case (the victim register's `CasePolicy.is_owner`) open, edit and cost it. An
institution named as responsible for a step (the consular service, the migration
office) sees the steps it answers for, with the case code, the country and the
partner abroad, never the person's identity nor the other steps. Nobody else sees a
return plan. Views, selectors, services, the API, the case-page link and the deadlines
call these functions."""

from __future__ import annotations

from django.db.models import Q

from thb.accounts.models import Role, User
from thb.core.routes import Route, ok, route
from thb.profiles import get_profile
from thb.victims.models import Case
from thb.victims.policy import CasePolicy


def works_on_plans(actor: User) -> bool:
    """The role that keeps return plans (the object rule is `can_edit_plan`)."""
    return actor.is_active and actor.role == Role.CASEWORKER and actor.institution_id is not None


def can_edit_plan(actor: User, case: Case) -> bool:
    return CasePolicy(actor, case).is_owner


def plan_scope(actor: User) -> Q | None:
    """The cases whose return plans the actor may open (a filter on cases)."""
    return CasePolicy.scope(actor) if works_on_plans(actor) else None


def partner_kinds() -> set[str]:
    """Institution kinds that answer for steps of other institutions' plans: every
    responsible kind of the profile's steps except the providers that own the plans."""
    section = get_profile()
    kinds = {k for step in section.returns.step_kinds for k in step.responsible_kinds}
    return kinds - set(section.referral.receiving_kinds)


def is_step_partner(actor: User) -> bool:
    """A user of an institution that may answer for steps (the consular service)."""
    return (
        actor.is_active
        and actor.role == Role.REPORTER
        and actor.institution is not None
        and actor.institution.kind in partner_kinds()
    )


def step_scope(actor: User) -> Q | None:
    """The steps a partner institution's user sees: those its institution answers for."""
    if not is_step_partner(actor):
        return None
    return Q(responsible_institution_id=actor.institution_id)


def deadline_step_scope(actor: User) -> Q | None:
    """The open steps the actor answers for on the deadlines page: a caseworker's for
    its institution's plans, a partner's for the steps its institution answers for."""
    if works_on_plans(actor):
        return Q(plan__case__institution_id=actor.institution_id)
    return step_scope(actor)


# Expected statuses of this app's routes (thb/core/routes.py explains the table).
PLAN: dict[str, object] = {"kind": "case", "shows_codes": True}
ROUTES: dict[str, Route] = {
    "returns:steps": ok("migration", shows_codes=True),
    "returns:plan": ok("caseworker", **PLAN),
    "returns:plan_edit": ok("caseworker", **PLAN),
    "returns:step": ok("caseworker", kwargs={"kind": "contact"}, **PLAN),
    "returns:cost": ok("caseworker", **PLAN),
    "GET /api/v1/returns/{code}": route("case", default=404, caseworker=200, shows_codes=True),
}
