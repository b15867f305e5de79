"""Writes of return plans. Each is atomic, takes the acting user, checks the policy,
validates through its `*_check` (the same rules for the forms and any other caller),
writes the case timeline and the audit log. Costs are recorded through thb.support's
service as the provider's other eligible costs in the profile's return category."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thb.accounts.models import Institution, User
from thb.audit.models import Action
from thb.audit.services import audit_record, iso_dates
from thb.core import validators
from thb.profiles import get_profile
from thb.returns import policy
from thb.returns.models import ReturnCost, ReturnPlan, ReturnStep
from thb.support.services import other_cost_create
from thb.victims.models import Case, country_code
from thb.victims.services import case_event_record


def _require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied


# The plan.


@dataclass
class PlanInput:
    from_country: str
    partner: str = ""
    notes: str = ""


def plan_check(data: PlanInput, errors: validators.Collect | None = None) -> None:
    """The country returned from (known, not the home country) and the texts."""
    own = errors is None
    errors = errors or validators.Collect()
    if data.from_country is not None:
        if not validators.is_country(data.from_country):
            errors.add(
                ValidationError(
                    {
                        "from_country": _("Unknown country “%(value)s”.")
                        % {"value": data.from_country}
                    }
                )
            )
        elif data.from_country == get_profile().country.code:
            errors.add(
                ValidationError({"from_country": _("A return is made from another country.")})
            )
    with errors:
        validators.texts({"partner": (data.partner, "line"), "notes": (data.notes, "notes")})
    if own:
        errors.raise_if_any()


@transaction.atomic
def plan_save(*, actor: User, case: Case, data: PlanInput) -> ReturnPlan:
    """Open (or correct) the return plan of a case: the owning caseworkers only."""
    _require(policy.can_edit_plan(actor, case))
    plan_check(data)
    plan = ReturnPlan.objects.filter(case=case).first()
    created = plan is None
    if plan is None:
        plan = ReturnPlan(case=case, created_by=actor)
    plan.from_country = data.from_country
    plan.partner = data.partner.strip()
    plan.notes = data.notes.strip()
    plan.save()
    details = {"code": case.person.code, "from_country": data.from_country}
    if created:
        case_event_record(case=case, actor=actor, kind="returns.plan", data=details)
    audit_record(
        actor=actor,
        action=Action.CREATE if created else Action.UPDATE,
        target=plan,
        details=details,
    )
    return plan


# The steps.


@dataclass
class StepInput:
    kind: str
    responsible_institution: Institution | None
    planned_on: date | None = None
    done_on: date | None = None
    partner: str = ""
    notes: str = ""


def step_check(data: StepInput, errors: validators.Collect | None = None) -> None:
    """A step of the profile's kinds, answered for by an institution of a kind the
    profile allows for it, with a planned day (may lie ahead) or a day done (past)."""
    own = errors is None
    errors = errors or validators.Collect()
    section = get_profile().returns
    kinds = {kind.code: kind for kind in section.step_kinds}
    kind = kinds.get(data.kind)
    if data.kind and kind is None:
        errors.add(ValidationError({"kind": _("Unknown code “%(value)s”.") % {"value": data.kind}}))
    institution = data.responsible_institution
    if (
        institution is not None
        and kind is not None
        and (not institution.active or institution.kind not in kind.responsible_kinds)
    ):
        errors.add(
            ValidationError(
                {
                    "responsible_institution": _(
                        "Choose an institution that can answer for this step."
                    )
                }
            )
        )
    if data.planned_on is not None:
        with errors:
            validators.record_date(data.planned_on, field="planned_on")
    if data.done_on is not None:
        with errors:
            validators.past_date(data.done_on, field="done_on")
    if (
        data.planned_on is None
        and data.done_on is None
        and not errors.failed("planned_on", "done_on")
    ):
        errors.add(
            ValidationError({"planned_on": _("Give the day planned or the day it was done.")})
        )
    with errors:
        validators.texts({"partner": (data.partner, "line"), "notes": (data.notes, "notes")})
    if own:
        errors.raise_if_any()


@transaction.atomic
def step_save(*, actor: User, plan: ReturnPlan, data: StepInput) -> ReturnStep:
    """Record a step of the plan (planned, or done), or correct it: one of each kind.
    A step done goes on the case timeline on its day; the step that completes the
    return sets the plan's return day."""
    case = plan.case
    _require(policy.can_edit_plan(actor, case))
    step_check(data)
    if data.responsible_institution is None:
        raise ValidationError({"responsible_institution": _("This field is required.")})
    step = ReturnStep.objects.filter(plan=plan, kind=data.kind).first()
    created = step is None
    was_done = step.done_on if step is not None else None
    if step is None:
        step = ReturnStep(plan=plan, kind=data.kind)
    step.planned_on = data.planned_on
    step.done_on = data.done_on
    step.responsible_institution = data.responsible_institution
    step.partner = data.partner.strip()
    step.notes = data.notes.strip()
    step.recorded_by = actor
    step.save()
    if data.kind == get_profile().returns.completing_kind:
        plan.returned_on = data.done_on
        plan.save(update_fields=["returned_on", "updated_at"])
    details = iso_dates(
        {
            "code": case.person.code,
            "step": data.kind,
            "planned_on": data.planned_on,
            "done_on": data.done_on,
            "responsible": data.responsible_institution.code,
        }
    )
    if data.done_on is not None and data.done_on != was_done:
        case_event_record(
            case=case,
            actor=actor,
            kind=f"returns.{data.kind}",
            data={"done_on": data.done_on.isoformat(), "responsible": details["responsible"]},
        )
    audit_record(
        actor=actor,
        action=Action.CREATE if created else Action.UPDATE,
        target=step,
        details=details,
    )
    return step


# The costs.


@dataclass
class CostInput:
    incurred_on: date
    amount_eur: Decimal
    step: ReturnStep | None = None
    description: str = ""


def cost_check(plan: ReturnPlan, data: CostInput, errors: validators.Collect | None = None) -> None:
    own = errors is None
    errors = errors or validators.Collect()
    if data.incurred_on is not None:
        with errors:
            validators.past_date(data.incurred_on, field="incurred_on")
    if data.amount_eur is not None:
        with errors:
            validators.amount(data.amount_eur, allow_zero=False, field="amount_eur")
    if data.step is not None and data.step.plan_id != plan.pk:
        errors.add(ValidationError({"step": _("Choose a step of this plan.")}))
    with errors:
        validators.text(data.description, kind="line", field="description")
    if own:
        errors.raise_if_any()


@transaction.atomic
def cost_record(*, actor: User, plan: ReturnPlan, data: CostInput) -> ReturnCost:
    """A cost of the return, charged to the owning provider's return category through
    thb.support (which checks that the actor may record the provider's costs)."""
    case = plan.case
    _require(policy.can_edit_plan(actor, case))
    cost_check(plan, data)
    cost = other_cost_create(
        actor=actor,
        provider=case.institution,
        incurred_on=data.incurred_on,
        category=get_profile().returns.cost_category,
        amount_eur=data.amount_eur,
        # The caseworker's words only (data in its author's language): the funding page
        # shows the category; never a case code or a name (it is aggregate).
        description=data.description.strip(),
    )
    link = ReturnCost.objects.create(plan=plan, step=data.step, cost=cost)
    details = {
        "code": case.person.code,
        "incurred_on": data.incurred_on.isoformat(),
        "amount_eur": str(cost.amount_eur),
        "step": data.step.kind if data.step is not None else "",
    }
    case_event_record(case=case, actor=actor, kind="returns.cost", data=details)
    audit_record(actor=actor, action=Action.CREATE, target=link, details=details)
    return link


def from_country_of(case: Case) -> str:
    """The country a plan for the case returns from by default: where it was identified."""
    return country_code(case.identified_abroad_in)
