"""Support API: a plan with its service log and totals, logging a service, funding by
year and provider, and state compensation. Same access helpers as the pages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from pydantic import AfterValidator, Field

from thb.accounts.models import User
from thb.core import validators
from thb.core.params import YearPath
from thb.support import policy, selectors, services

router = Router(tags=["support"])


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _errors(exc: ValidationError) -> HttpError:
    if hasattr(exc, "error_dict"):
        text = "; ".join(
            f"{key}: {' '.join(ValidationError(errors).messages)}"
            for key, errors in exc.error_dict.items()
        )
    else:
        text = " ".join(exc.messages)
    return HttpError(422, text)


class DeliveryOut(Schema):
    id: int
    delivered_on: date
    service: str
    specialist_role: str
    hours: Decimal
    cost_eur: Decimal
    provider: str
    limit_flags: list[str]
    limit_reason: str


class TotalsOut(Schema):
    course_days: int
    course_max_days: int
    after_course_used: int
    after_course_limit: int
    criminal_hours_by_year: dict[int, Decimal]
    criminal_hours_limit: int
    hours_total: Decimal
    cost_total: Decimal
    flagged: int


class PlanOut(Schema):
    code: str
    starts_on: date
    ends_on: date
    services_planned: list[str]
    limit_flags: list[str]
    limit_reason: str
    deliveries: list[DeliveryOut]
    totals: TotalsOut


# The same validators as the forms and services (thb.core.validators), so a value out
# of the profile's limits is a 422 naming the field.
Hours = Annotated[Decimal, AfterValidator(validators.schema_check(validators.hours))]
Cost = Annotated[Decimal, AfterValidator(validators.schema_check(validators.amount))]
Payment = Annotated[
    Decimal, AfterValidator(validators.schema_check(validators.amount, allow_zero=False))
]
PastDate = Annotated[date, AfterValidator(validators.schema_check(validators.past_date))]
Notes = Annotated[str, AfterValidator(validators.schema_check(validators.text, kind="notes"))]


class DeliveryIn(Schema):
    delivered_on: PastDate
    service: str = Field(max_length=40)
    specialist_role: str = Field(max_length=40)
    hours: Hours
    cost_eur: Cost
    limit_reason: Notes = ""


def _delivery_out(d: object) -> DeliveryOut:
    from thb.support.models import ServiceDelivery

    assert isinstance(d, ServiceDelivery)
    return DeliveryOut(
        id=d.pk,
        delivered_on=d.delivered_on,
        service=d.service,
        specialist_role=d.specialist_role,
        hours=d.hours,
        cost_eur=d.cost_eur,
        provider=d.provider.code,
        limit_flags=d.limit_flags,
        limit_reason=d.limit_reason,
    )


@router.get("/plans/{code}", response=PlanOut)
def get_plan(request: HttpRequest, code: str) -> PlanOut:
    case, plan = selectors.plan_get_for_user(actor=_user(request), code=code, request=request)
    if plan is None:
        raise Http404
    totals = selectors.plan_totals(plan)
    return PlanOut(
        code=case.person.code,
        starts_on=plan.starts_on,
        ends_on=plan.ends_on,
        services_planned=[p.service for p in plan.planned_services.all()],
        limit_flags=plan.limit_flags,
        limit_reason=plan.limit_reason,
        deliveries=[_delivery_out(d) for d in plan.deliveries.select_related("provider")],
        totals=TotalsOut(
            course_days=totals.course_days,
            course_max_days=totals.course_max_days,
            after_course_used=totals.after_course_used,
            after_course_limit=totals.after_course_limit,
            criminal_hours_by_year=totals.criminal_hours_by_year,
            criminal_hours_limit=totals.criminal_hours_limit,
            hours_total=totals.hours_total,
            cost_total=totals.cost_total,
            flagged=totals.flagged,
        ),
    )


@router.post("/plans/{code}/services", response={201: DeliveryOut})
def log_service(request: HttpRequest, code: str, payload: DeliveryIn) -> Status[DeliveryOut]:
    actor = _user(request)
    _case, plan = selectors.plan_get_for_user(
        actor=actor, code=code, request=request, purpose="service_log"
    )
    if plan is None:
        raise HttpError(422, "plan: the case has no rehabilitation plan")
    try:
        delivery = services.service_deliver(
            actor=actor, plan=plan, data=services.DeliveryInput(**payload.dict())
        )
    except ValidationError as exc:
        raise _errors(exc) from None
    return Status(201, _delivery_out(delivery))


class FundingRowOut(Schema):
    provider: str | None
    planned_eur: Decimal
    services_eur: Decimal
    other_eur: Decimal
    spent_eur: Decimal
    difference_eur: Decimal
    planned_next_year_eur: Decimal


@router.get("/funding/{year}", response=list[FundingRowOut])
def get_funding(request: HttpRequest, year: YearPath) -> list[FundingRowOut]:
    """Per provider, the total last (provider null). Aggregates only."""
    actor = _user(request)
    if not policy.can_see_funding(actor):
        raise HttpError(403, "Your role may not read this.")
    return [
        FundingRowOut(
            provider=row.provider.code if row.provider else None,
            planned_eur=row.planned,
            services_eur=row.services,
            other_eur=row.other,
            spent_eur=row.spent,
            difference_eur=row.difference,
            planned_next_year_eur=row.planned_next_year,
        )
        for row in selectors.funding_for_user(actor=actor, year=year)
    ]


class CompensationIn(Schema):
    case_code: str = Field(max_length=40)
    paid_on: PastDate
    amount_eur: Payment
    decision_reference: str = Field(default="", max_length=60)


class CompensationOut(Schema):
    id: int
    case_code: str
    paid_on: date
    amount_eur: Decimal


@router.post("/compensations", response={201: CompensationOut})
def record_compensation(request: HttpRequest, payload: CompensationIn) -> Status[CompensationOut]:
    """For the legal aid body: the victim is named by the exact case code only."""
    actor = _user(request)
    if not policy.is_compensation_payer(actor):
        raise HttpError(403, "Your role may not record this.")
    case = selectors.compensation_case_lookup(actor=actor, code=payload.case_code, request=request)
    if case is None:
        raise HttpError(422, "case_code: no recognised victim has this case code")
    try:
        payment = services.compensation_record(
            actor=actor,
            case=case,
            paid_on=payload.paid_on,
            amount_eur=payload.amount_eur,
            decision_reference=payload.decision_reference,
        )
    except ValidationError as exc:
        raise _errors(exc) from None
    return Status(
        201,
        CompensationOut(
            id=payment.pk,
            case_code=case.person.code,
            paid_on=payment.paid_on,
            amount_eur=payment.amount_eur,
        ),
    )
