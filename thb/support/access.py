"""Who may do what in support, in one place. Object scoping (which plan) goes through
`thb.victims.selectors.case_get_for_user`; these are the role and institution rules."""

from __future__ import annotations

from thb.accounts.models import Role, User
from thb.profiles import get_profile
from thb.victims.models import Case


def _kind(actor: User) -> str:
    return actor.institution.kind if actor.institution_id and actor.institution else ""


def can_edit_plan(actor: User, case: Case) -> bool:
    """Only the caseworkers of the institution that owns the case."""
    return (
        actor.has_role(Role.CASEWORKER)
        and actor.institution_id is not None
        and actor.institution_id == case.institution_id
    )


def is_funder(actor: User) -> bool:
    """The funding ministry's contact: a reporter at an institution of the funder kind."""
    return (
        actor.has_role(Role.REPORTER)
        and _kind(actor) == get_profile().support.funder_institution_kind
    )


def is_compensation_payer(actor: User) -> bool:
    """The legal aid body's reporter, who records state compensation paid."""
    return (
        actor.has_role(Role.REPORTER)
        and _kind(actor) == get_profile().support.compensation_institution_kind
    )


def sees_all_funding(actor: User) -> bool:
    return actor.has_role(Role.COORDINATOR, Role.ADMINISTRATOR) or is_funder(actor)


def can_see_funding(actor: User) -> bool:
    """Aggregates only: everyone's for the coordinator and funder, a provider's own for
    its caseworkers."""
    return sees_all_funding(actor) or (
        actor.has_role(Role.CASEWORKER) and actor.institution_id is not None
    )


def can_record_other_costs(actor: User) -> bool:
    return is_funder(actor) or (
        actor.has_role(Role.CASEWORKER) and actor.institution_id is not None
    )


def can_see_plans(actor: User) -> bool:
    """Plans and service logs: caseworkers (scoped to their institution's cases)."""
    return actor.has_role(Role.CASEWORKER) and actor.institution_id is not None
