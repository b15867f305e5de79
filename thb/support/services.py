"""Writes of support: plans, services delivered, funding and compensation. Each is
atomic, takes the acting user, checks the Reg. No. 344 limits through thb.support.rules
and writes the audit log (and, for a person's records, the case timeline)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thb.accounts.models import Institution, InstitutionKind, User
from thb.audit.models import Action
from thb.audit.services import audit_record
from thb.core import formats, validators
from thb.profiles import get_profile
from thb.support import policy, rules
from thb.support.models import (
    FundingContract,
    OtherEligibleCost,
    PlannedService,
    RehabilitationPlan,
    ServiceDelivery,
    StateCompensation,
)
from thb.victims.models import Case, CaseStatus
from thb.victims.services import case_event_record


def _require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied


def _refuse_breaches(breaches: Sequence[rules.Breach], reason: str) -> list[str]:
    """Limits may be exceeded only with a recorded reason; the refusal names the rule."""
    if breaches and not reason.strip():
        text = " ".join(b.message for b in breaches)
        raise ValidationError(
            {"limit_reason": text + " " + _("Record a reason to go beyond the limit.")}
        )
    return [b.rule for b in breaches]


@dataclass
class PlanInput:
    starts_on: date
    ends_on: date
    services: Sequence[str] = ()
    goals: str = ""
    limit_reason: str = ""


def plan_check(data: PlanInput, errors: validators.Collect | None = None) -> list[str]:
    """Every rule of a plan's dates, services and limits, each failure reported at once
    (with `errors`, a form's collector, added to it instead of raised; a date that did
    not parse is None there). Returns the limit flags."""
    own = errors is None
    errors = errors or validators.Collect()
    section = get_profile().support
    flags: list[str] = []
    for name in ("starts_on", "ends_on"):
        if getattr(data, name) is not None:
            with errors:
                validators.record_date(getattr(data, name), field=name)
    dated = data.starts_on is not None and data.ends_on is not None
    if dated and data.ends_on < data.starts_on and not errors.failed("ends_on"):
        errors.add(ValidationError({"ends_on": _("The end is before the start.")}))
    known = {s.code for s in section.services}
    for code in data.services:
        if code not in known:
            errors.add(
                ValidationError({"services": _("Unknown code “%(value)s”.") % {"value": code}})
            )
            break
    with errors:
        validators.texts(
            {"goals": (data.goals, "notes"), "limit_reason": (data.limit_reason, "notes")}
        )
    if dated and not errors.failed("starts_on", "ends_on"):
        with errors:
            flags = _refuse_breaches(
                rules.plan_breaches(section, starts_on=data.starts_on, ends_on=data.ends_on),
                data.limit_reason,
            )
    if own:
        errors.raise_if_any()
    return flags


@transaction.atomic
def plan_save(*, actor: User, case: Case, data: PlanInput) -> RehabilitationPlan:
    """Create or change the case's plan. Only a recognised victim gets one."""
    _require(policy.can_edit_plan(actor, case))
    if case.status != CaseStatus.RECOGNISED:
        raise ValidationError(
            {"case": _("Only a recognised victim may get a rehabilitation plan.")}
        )
    flags = plan_check(data)
    plan = RehabilitationPlan.objects.filter(case=case).first()
    created = plan is None
    if plan is None:
        plan = RehabilitationPlan(case=case, created_by=actor)
    plan.starts_on, plan.ends_on = data.starts_on, data.ends_on
    plan.goals = data.goals
    plan.limit_flags = flags
    plan.limit_reason = data.limit_reason.strip() if flags else ""
    plan.save()
    plan.planned_services.exclude(service__in=data.services).delete()
    for code in data.services:
        PlannedService.objects.get_or_create(plan=plan, service=code)
    details = {
        "code": case.person.code,
        "starts_on": plan.starts_on.isoformat(),
        "ends_on": plan.ends_on.isoformat(),
        "services": sorted(data.services),
        "limit_flags": flags,
    }
    case_event_record(
        case=case, actor=actor, kind="support_plan_saved", data={**details, "created": created}
    )
    audit_record(
        actor=actor,
        action=Action.CREATE if created else Action.UPDATE,
        target=plan,
        details=details,
    )
    return plan


@dataclass
class DeliveryInput:
    delivered_on: date
    service: str
    specialist_role: str
    hours: Decimal
    cost_eur: Decimal
    limit_reason: str = ""


def _delivered(row: ServiceDelivery | DeliveryInput) -> rules.Delivered:
    return rules.Delivered(row.delivered_on, row.service, Decimal(row.hours))


def delivery_check(
    plan: RehabilitationPlan, data: DeliveryInput, errors: validators.Collect | None = None
) -> None:
    """Every rule of a service entry that needs no other entry (codes, date, hours,
    cost), each failure reported at once (with `errors`, added to it instead of raised;
    a value that did not parse is None there). Normalises the hours and the cost."""
    own = errors is None
    errors = errors or validators.Collect()
    section = get_profile().support
    if data.service and data.service not in {s.code for s in section.services}:
        errors.add(
            ValidationError({"service": _("Unknown code “%(value)s”.") % {"value": data.service}})
        )
    roles = {r.code for r in section.specialist_roles}
    if data.specialist_role and data.specialist_role not in roles:
        errors.add(
            ValidationError(
                {
                    "specialist_role": _("Unknown code “%(value)s”.")
                    % {"value": data.specialist_role}
                }
            )
        )
    if data.delivered_on is not None:
        if data.delivered_on < plan.starts_on:
            errors.add(
                ValidationError(
                    {
                        "delivered_on": _(
                            "The course starts on %(start)s; a service cannot be earlier."
                        )
                        % {"start": formats.day(plan.starts_on)}
                    }
                )
            )
        else:
            with errors:
                validators.past_date(data.delivered_on, field="delivered_on")
    if data.hours is not None:
        with errors:
            data.hours = validators.hours(data.hours, field="hours")
    if data.cost_eur is not None:
        with errors:
            data.cost_eur = validators.amount(data.cost_eur, field="cost_eur")
    if not errors.failed("hours", "cost_eur") and not data.hours and not data.cost_eur:
        errors.add(
            ValidationError(
                {
                    "hours": _(
                        "A service delivered takes time or costs money: enter its hours or "
                        "its cost."
                    )
                }
            )
        )
    with errors:
        validators.text(data.limit_reason, field="limit_reason")
    if own:
        errors.raise_if_any()


@transaction.atomic
def service_deliver(
    *, actor: User, plan: RehabilitationPlan, data: DeliveryInput
) -> ServiceDelivery:
    """Log a service delivered. A limit of Reg. No. 344 may be exceeded only with a
    recorded reason, and the record then carries the rule as a flag."""
    case = plan.case
    _require(policy.can_edit_plan(actor, case))
    section = get_profile().support
    delivery_check(plan, data)
    # Lock the plan so two concurrent entries cannot both slip under a limit.
    plan = RehabilitationPlan.objects.select_for_update().get(pk=plan.pk)
    existing = [_delivered(d) for d in plan.deliveries.all()]
    breaches = rules.delivery_breaches(
        section,
        starts_on=plan.starts_on,
        ends_on=plan.ends_on,
        existing=existing,
        new=_delivered(data),
    )
    reason = data.limit_reason.strip()
    # A course the plan already extends with a reason: its services are flagged with it.
    if (
        not reason
        and breaches
        and all(b.rule == rules.COURSE_DAYS for b in breaches)
        and rules.COURSE_DAYS in plan.limit_flags
    ):
        reason = plan.limit_reason
    flags = _refuse_breaches(breaches, reason)
    delivery = ServiceDelivery.objects.create(
        plan=plan,
        delivered_on=data.delivered_on,
        service=data.service,
        specialist_role=data.specialist_role,
        hours=data.hours,
        cost_eur=data.cost_eur,
        provider=case.institution,
        limit_flags=flags,
        limit_reason=reason if flags else "",
        recorded_by=actor,
    )
    details = {
        "code": case.person.code,
        "service": delivery.service,
        "delivered_on": delivery.delivered_on.isoformat(),
        "hours": str(delivery.hours),
        "cost_eur": str(delivery.cost_eur),
        "limit_flags": flags,
    }
    case_event_record(case=case, actor=actor, kind="support_service_logged", data=details)
    audit_record(actor=actor, action=Action.CREATE, target=delivery, details=details)
    return delivery


def _check_provider(provider: Institution) -> None:
    if provider.kind != InstitutionKind.SERVICE_PROVIDER:
        raise ValidationError({"provider": _("Choose a service provider.")})


@transaction.atomic
def funding_contract_save(
    *, actor: User, year: int, provider: Institution, planned_eur: Decimal, reference: str = ""
) -> FundingContract:
    """Record (or correct) a provider's planned state funding for a year."""
    _require(policy.can_record_contracts(actor))
    _check_provider(provider)
    year = validators.year(year, field="year")
    planned_eur = validators.amount(planned_eur, kind="funding", field="planned_eur")
    contract, created = FundingContract.objects.update_or_create(
        year=year,
        provider=provider,
        defaults={"planned_eur": planned_eur, "reference": reference, "recorded_by": actor},
    )
    audit_record(
        actor=actor,
        action=Action.CREATE if created else Action.UPDATE,
        target=contract,
        details={"year": year, "provider": provider.code, "planned_eur": str(planned_eur)},
    )
    return contract


@transaction.atomic
def other_cost_create(
    *,
    actor: User,
    provider: Institution,
    incurred_on: date,
    category: str,
    amount_eur: Decimal,
    description: str = "",
) -> OtherEligibleCost:
    """An eligible cost of the contract that is not a service to one client. Providers
    record their own; the funder records any provider's."""
    _require(policy.can_record_other_costs(actor, provider))
    _check_provider(provider)
    if category not in {c.code for c in get_profile().support.other_cost_categories}:
        raise ValidationError({"category": _("Unknown code “%(value)s”.") % {"value": category}})
    validators.past_date(incurred_on, field="incurred_on")
    amount_eur = validators.amount(amount_eur, allow_zero=False, field="amount_eur")
    cost = OtherEligibleCost.objects.create(
        provider=provider,
        incurred_on=incurred_on,
        category=category,
        amount_eur=amount_eur,
        description=description,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        target=cost,
        details={"provider": provider.code, "category": category, "amount_eur": str(amount_eur)},
    )
    return cost


@transaction.atomic
def compensation_record(
    *, actor: User, case: Case, paid_on: date, amount_eur: Decimal, decision_reference: str = ""
) -> StateCompensation:
    """State compensation paid by the legal aid body. The case comes from
    selectors.compensation_case_lookup (by exact case code, recognised victims only)."""
    _require(policy.is_compensation_payer(actor) and actor.institution is not None)
    if case.status != CaseStatus.RECOGNISED:
        raise ValidationError({"case_code": _("No recognised victim has this case code.")})
    validators.past_date(paid_on, field="paid_on")
    amount_eur = validators.amount(amount_eur, allow_zero=False, field="amount_eur")
    assert actor.institution is not None
    payment = StateCompensation.objects.create(
        case=case,
        paid_on=paid_on,
        amount_eur=amount_eur,
        decision_reference=decision_reference,
        payer=actor.institution,
        recorded_by=actor,
    )
    details = {
        "code": case.person.code,
        "paid_on": paid_on.isoformat(),
        "amount_eur": str(amount_eur),
    }
    case_event_record(case=case, actor=actor, kind="state_compensation_paid", data=details)
    audit_record(actor=actor, action=Action.CREATE, target=payment, details=details)
    return payment
