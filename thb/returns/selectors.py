"""Reads of return plans, scoped through thb.returns.policy. The plan is opened through
the victim register's case access (which audits the read); a partner institution sees
the steps it answers for, by case code only (the list's read is audited); the
statistics are one grouped query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from thb.accounts.models import User
from thb.audit.services import audit_read
from thb.core.languages import current_language
from thb.core.registry import DeadlineItem
from thb.profiles import get_profile
from thb.returns import policy
from thb.returns.models import ReturnCost, ReturnPlan, ReturnStep
from thb.victims.models import Case
from thb.victims.selectors import audit_case_list, case_get_for_user


def return_case_get_for_user(*, actor: User, code: str, request: HttpRequest | None = None) -> Case:
    """The case behind a return plan: 404 unless the actor is one of the owning
    institution's caseworkers."""
    if not policy.works_on_plans(actor):
        raise Http404
    case = case_get_for_user(actor=actor, code=code, request=request, purpose="return_plan")
    if not policy.can_edit_plan(actor, case):
        raise Http404
    return case


def plan_for_case(
    case: Case, *, actor: User | None = None, request: HttpRequest | None = None
) -> ReturnPlan | None:
    """The case's plan; given the actor (who opened the case through
    `return_case_get_for_user`), the read of the plan is audited."""
    plan = ReturnPlan.objects.filter(case=case).first()
    if plan is not None and actor is not None:
        audit_read(
            actor=actor, target=plan, request=request, purpose="return_plan", code=case.person.code
        )
    return plan


@dataclass
class StepRow:
    """A step kind of the profile with its record on the plan (None: not yet recorded)."""

    kind: str
    label: str
    step: ReturnStep | None


def plan_step_rows(plan: ReturnPlan | None, language: str) -> list[StepRow]:
    """Every step kind in the profile's order, with the plan's record of it."""
    recorded: dict[str, ReturnStep] = {}
    if plan is not None:
        recorded = {
            s.kind: s for s in plan.steps.select_related("responsible_institution").order_by("id")
        }
    return [
        StepRow(kind.code, kind.label.get(language), recorded.get(kind.code))
        for kind in get_profile().returns.step_kinds
    ]


def plan_costs(plan: ReturnPlan | None) -> list[ReturnCost]:
    if plan is None:
        return []
    return list(plan.costs.select_related("cost", "step").order_by("cost__incurred_on", "id"))


def partner_steps(*, actor: User, request: HttpRequest | None = None) -> list[ReturnStep]:
    """The steps the actor's institution answers for, open ones first; the codes the
    list shows are audited in one event. Only what the step needs: the case code,
    the country, the partner abroad, the days; never the identity or other steps."""
    scope = policy.step_scope(actor)
    if scope is None:
        return []
    steps = list(
        ReturnStep.objects.filter(scope)
        .select_related("plan__case__person", "plan__case__institution")
        .order_by(F("done_on").desc(nulls_first=True), "planned_on", "id")
    )
    audit_case_list(
        actor=actor,
        cases=list({s.plan.case_id: s.plan.case for s in steps}.values()),
        request=request,
        purpose="return_steps",
    )
    return steps


def deadline_items_for(*, actor: User, today: date, horizon: date) -> list[DeadlineItem]:
    """Steps planned by `horizon` and not yet done, for the caseworkers of the owning
    provider and for the institution that answers for them (thb.core.registry). The
    items name case codes: the codes are audited in one event."""
    scope = policy.deadline_step_scope(actor)
    if scope is None:
        return []
    steps = list(
        ReturnStep.objects.filter(
            scope, done_on__isnull=True, planned_on__isnull=False, planned_on__lte=horizon
        )
        .select_related("plan__case__person")
        .order_by("planned_on", "id")
    )
    if not steps:
        return []
    audit_case_list(
        actor=actor,
        cases=list({s.plan.case_id: s.plan.case for s in steps}.values()),
        purpose="return_deadlines",
    )
    section = get_profile().returns
    language = current_language()
    owner = policy.works_on_plans(actor)
    items = []
    for step in steps:
        code = step.plan.case.person.code
        planned = step.planned_on
        assert planned is not None  # filtered above
        items.append(
            DeadlineItem(
                what=_("Return: %(step)s")
                % {"step": section.step_kind(step.kind).label.get(language)},
                reference=code,
                url=reverse("returns:plan", args=[code]) if owner else reverse("returns:steps"),
                # Since the plan was opened (a step planned before it was entered: its day).
                started_on=min(step.plan.created_at.date(), planned),
                due_on=planned,
                basis=_("planned in the return plan"),
            )
        )
    return items


# Statistics.


def returns_by_country(year: int) -> dict[str, int]:
    """Returns completed in the year (the day of the step that completes a return), by
    the country returned from: one grouped query."""
    rows = (
        ReturnPlan.objects.filter(returned_on__year=year)
        .order_by()
        .values("from_country")
        .annotate(n=Count("id"))
    )
    return {str(row["from_country"]): row["n"] for row in rows}


def return_years() -> set[int]:
    return {
        d.year
        for d in ReturnPlan.objects.filter(returned_on__isnull=False).dates("returned_on", "year")
    }
