"""Who may see and do what in support: the only place the rules are written. Views,
selectors, services, the API, the case-page links and the navigation call these.

Plans and service logs belong to the caseworkers of the institution that owns the
case (the victim register's `CasePolicy.is_owner`); funding aggregates are seen by the
coordinator, the administrator and the funder (every provider) and by a provider's
caseworkers (their own); state compensation is recorded by the legal aid body."""

from __future__ import annotations

from django.db.models import Q

from thb.accounts.models import Institution, Role, User
from thb.core.routes import Route, ok, route
from thb.profiles import get_profile
from thb.victims.models import Case
from thb.victims.policy import CasePolicy


def _kind(actor: User) -> str:
    return actor.institution.kind if actor.institution_id and actor.institution else ""


def _caseworker(actor: User) -> bool:
    return actor.is_active and actor.role == Role.CASEWORKER and actor.institution_id is not None


def can_see_plans(actor: User) -> bool:
    """Plans and service logs: caseworkers (scoped to their institution's cases)."""
    return _caseworker(actor)


def plan_scope(actor: User) -> Q | None:
    """The cases whose plans the actor may list, or None for none."""
    return CasePolicy.scope(actor) if can_see_plans(actor) else None


def can_edit_plan(actor: User, case: Case) -> bool:
    """Only the caseworkers of the institution that owns the case."""
    return CasePolicy(actor, case).is_owner


def is_funder(actor: User) -> bool:
    """The funding ministry's contact: a reporter at an institution of the funder kind."""
    return (
        actor.is_active
        and actor.role == Role.REPORTER
        and _kind(actor) == get_profile().support.funder_institution_kind
    )


def is_compensation_payer(actor: User) -> bool:
    """The legal aid body's reporter, who records state compensation paid."""
    return (
        actor.is_active
        and actor.role == Role.REPORTER
        and _kind(actor) == get_profile().support.compensation_institution_kind
    )


def sees_all_funding(actor: User) -> bool:
    return (actor.is_active and actor.role in (Role.COORDINATOR, Role.ADMINISTRATOR)) or is_funder(
        actor
    )


def can_see_funding(actor: User) -> bool:
    """Aggregates only: everyone's for the coordinator and funder, a provider's own for
    its caseworkers."""
    return sees_all_funding(actor) or _caseworker(actor)


def funding_scope(actor: User, field: str = "provider_id") -> Q | None:
    """The providers whose funding, costs and limit figures the actor sees, as a filter
    on `field`: every provider (Q()) for those who see all funding, a caseworker's own
    institution, None for anyone else."""
    if sees_all_funding(actor):
        return Q()
    if _caseworker(actor):
        return Q(**{field: actor.institution_id})
    return None


def compensation_scope(actor: User) -> Q | None:
    """The payments the legal aid body lists: those it recorded itself."""
    if not is_compensation_payer(actor):
        return None
    return Q(payer_id=actor.institution_id)


def cost_provider_scope(actor: User) -> Q | None:
    """The providers the actor may record other eligible costs for (a filter on
    institutions): any for the funder, its own for a provider's caseworker."""
    if is_funder(actor):
        return Q()
    if _caseworker(actor):
        return Q(pk=actor.institution_id)
    return None


def can_record_contracts(actor: User) -> bool:
    """Planned state funding: the funder (and the administrator, for corrections)."""
    return is_funder(actor) or (actor.is_active and actor.role == Role.ADMINISTRATOR)


def can_record_other_costs(actor: User, provider: Institution | None = None) -> bool:
    """Other eligible costs: the funder for any provider; a provider's caseworkers for
    their own institution (given `provider`, for that one)."""
    scope = cost_provider_scope(actor)
    if scope is None:
        return False
    return provider is None or Institution.objects.filter(scope, pk=provider.pk).exists()


# Expected statuses of this app's routes (thb/core/routes.py explains the table).
ROUTES: dict[str, Route] = {
    "support:index": ok("caseworker", shows_codes=True),
    "support:funding": ok("caseworker", "funder", "coordinator", "admin"),
    "support:contract_create": ok("funder", "admin"),
    "support:other_cost_create": ok("caseworker", "funder"),
    "support:compensation": ok("payer", shows_codes=True),
    "support:plan": ok("caseworker", kind="case", shows_codes=True),
    "support:plan_edit": ok("caseworker", kind="case", shows_codes=True),
    "support:services": ok("caseworker", kind="case", shows_codes=True),
    "GET /api/v1/support/plans/{code}": route(
        "case", default=404, caseworker=200, shows_codes=True
    ),
    "POST /api/v1/support/plans/{code}/services": route(
        "case",
        default=404,
        caseworker=201,
        body={
            "delivered_on": "2020-06-01",
            "service": "psychologist",
            "specialist_role": "psychologist",
            "hours": "1.00",
            "cost_eur": "30.00",
        },
    ),
    "GET /api/v1/support/funding/{year}": ok(
        "caseworker", "funder", "coordinator", "admin", kwargs={"year": 2020}
    ),
    "POST /api/v1/support/compensations": route(
        "case",
        body={"case_code": "{code}", "paid_on": "2020-12-01", "amount_eur": "500.00"},
        payer=(201, 201),
    ),
}
