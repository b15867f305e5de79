"""Pages of the return plan: the plan of a case with its steps and costs, a form for
the plan, each step and a cost, and the partner institution's list of the steps it
answers for. Views stay thin: access through the selectors' helpers (404 outside
scope, 403 for the wrong role), writes through the services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from thb.accounts.models import User
from thb.core.access import allowed_if
from thb.core.forms import add_service_errors
from thb.core.languages import current_language
from thb.profiles import get_profile
from thb.returns import forms, policy, selectors, services


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@allowed_if(policy.works_on_plans)
def plan(request: HttpRequest, code: str) -> HttpResponse:
    actor = _user(request)
    case = selectors.return_case_get_for_user(actor=actor, code=code, request=request)
    return_plan = selectors.plan_for_case(case, actor=actor, request=request)
    costs = selectors.plan_costs(return_plan)
    return render(
        request,
        "returns/plan.html",
        {
            "case": case,
            "plan": return_plan,
            "rows": selectors.plan_step_rows(return_plan, current_language()),
            "costs": costs,
            "cost_total": sum((c.cost.amount_eur for c in costs), Decimal(0)),
            "today": timezone.localdate(),
        },
    )


def _form_page(
    request: HttpRequest, case: Any, form: Any, title: str, *, blocked: str = ""
) -> HttpResponse:
    return render(
        request,
        "returns/form.html",
        {"case": case, "form": form, "title": title, "blocked": blocked},
        status=400 if request.method == "POST" else 200,
    )


@allowed_if(policy.works_on_plans)
def plan_edit(request: HttpRequest, code: str) -> HttpResponse:
    actor = _user(request)
    case = selectors.return_case_get_for_user(actor=actor, code=code, request=request)
    current = selectors.plan_for_case(case, actor=actor, request=request)
    initial = (
        {
            "from_country": str(current.from_country),
            "partner": current.partner,
            "notes": current.notes,
        }
        if current is not None
        else {"from_country": services.from_country_of(case)}
    )
    form = forms.PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_save(actor=actor, case=case, data=form.plan_input(form.cleaned_data))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("returns:plan", code=case.person.code)
    return _form_page(request, case, form, _("Return plan"))


@allowed_if(policy.works_on_plans)
def step(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    actor = _user(request)
    try:
        label = get_profile().returns.step_kind(kind).label.get(current_language())
    except KeyError:
        raise Http404 from None
    case = selectors.return_case_get_for_user(actor=actor, code=code, request=request)
    return_plan = selectors.plan_for_case(case, actor=actor, request=request)
    title = _("Return: %(step)s") % {"step": label}
    if return_plan is None:
        return _form_page(request, case, None, title, blocked=_("Open the return plan first."))
    current = return_plan.steps.filter(kind=kind).first()
    initial = {}
    if current is not None:
        initial = {
            "responsible_institution": current.responsible_institution_id,
            "planned_on": current.planned_on,
            "done_on": current.done_on,
            "partner": current.partner,
            "notes": current.notes,
        }
    form = forms.StepForm(request.POST or None, kind=kind, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.step_save(
                actor=actor, plan=return_plan, data=form.step_input(form.cleaned_data)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("returns:plan", code=case.person.code)
    return _form_page(request, case, form, title)


@allowed_if(policy.works_on_plans)
def cost(request: HttpRequest, code: str) -> HttpResponse:
    actor = _user(request)
    case = selectors.return_case_get_for_user(actor=actor, code=code, request=request)
    return_plan = selectors.plan_for_case(case, actor=actor, request=request)
    title = _("Cost of the return")
    if return_plan is None:
        return _form_page(request, case, None, title, blocked=_("Open the return plan first."))
    form = forms.CostForm(request.POST or None, plan=return_plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.cost_record(
                actor=actor, plan=return_plan, data=form.cost_input(form.cleaned_data)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("returns:plan", code=case.person.code)
    return _form_page(request, case, form, title)


@allowed_if(policy.is_step_partner)
def steps(request: HttpRequest) -> HttpResponse:
    """The steps the actor's institution answers for (the consular service)."""
    actor = _user(request)
    return render(
        request,
        "returns/steps.html",
        {
            "steps": selectors.partner_steps(actor=actor, request=request),
            "labels": {
                k.code: k.label.get(current_language()) for k in get_profile().returns.step_kinds
            },
            "today": timezone.localdate(),
        },
    )
