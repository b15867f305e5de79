"""Returns API: a case's return plan with its steps and costs. Read-only; the same
access helper as the pages (404 outside the owning provider's caseworkers)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema

from thb.accounts.models import User
from thb.returns.selectors import plan_costs, plan_for_case, return_case_get_for_user

router = Router(tags=["returns"])


class StepOut(Schema):
    kind: str
    planned_on: date | None
    done_on: date | None
    responsible_institution: str
    partner: str


class CostOut(Schema):
    incurred_on: date
    amount_eur: Decimal
    category: str
    step: str | None


class PlanOut(Schema):
    case: str
    from_country: str | None
    partner: str
    returned_on: date | None
    steps: list[StepOut]
    costs: list[CostOut]


@router.get("/{code}", response=PlanOut, summary="A case's return plan")
def plan(request: HttpRequest, code: str) -> PlanOut:
    user = request.user
    assert isinstance(user, User)
    case = return_case_get_for_user(actor=user, code=code, request=request)
    p = plan_for_case(case, actor=user, request=request)
    steps = list(p.steps.select_related("responsible_institution")) if p else []
    return PlanOut(
        case=case.person.code,
        from_country=str(p.from_country) if p else None,
        partner=p.partner if p else "",
        returned_on=p.returned_on if p else None,
        steps=[
            StepOut(
                kind=s.kind,
                planned_on=s.planned_on,
                done_on=s.done_on,
                responsible_institution=s.responsible_institution.code,
                partner=s.partner,
            )
            for s in steps
        ],
        costs=[
            CostOut(
                incurred_on=c.cost.incurred_on,
                amount_eur=c.cost.amount_eur,
                category=c.cost.category,
                step=c.step.kind if c.step else None,
            )
            for c in plan_costs(p)
        ],
    )
