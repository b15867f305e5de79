"""Support pages: the plan and service log of a recognised victim (the owning
institution's caseworkers), funding by year and provider (coordinator, funder, a
provider's own), and state compensation (the legal aid body)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone
from django.utils.translation import gettext as _

from thb.accounts.models import User
from thb.core.access import allowed_if
from thb.core.forms import add_service_errors, year_param
from thb.profiles import get_profile
from thb.support import policy, selectors, services
from thb.support.forms import (
    CompensationForm,
    DeliveryForm,
    FundingContractForm,
    OtherCostForm,
    PlanForm,
)
from thb.victims.models import Case
from thb.victims.selectors import audit_case_list

# The residence app may provide this template to show the residence track on the plan
# page; until it does, ours explains that services continue throughout.
RESIDENCE_PANEL = "residence/_support_plan_panel.html"
RESIDENCE_PANEL_DEFAULT = "support/_residence_panel.html"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _year(request: HttpRequest, years: list[int] | None = None) -> int:
    """The ?year= asked for; otherwise the latest year with records up to this one."""
    this_year = timezone.localdate().year
    if "year" in request.GET:
        return year_param(request, this_year) or this_year
    past = [y for y in years or [] if y <= this_year]
    return past[0] if past else this_year


def is_foreign_non_eu(case: Case) -> bool:
    country = get_profile().country
    code = getattr(case.person.citizenship, "code", "") or ""
    return bool(code) and code != country.code and code not in country.eu_member_states


def _residence_panel() -> str:
    try:
        get_template(RESIDENCE_PANEL)
    except TemplateDoesNotExist:
        return RESIDENCE_PANEL_DEFAULT
    return RESIDENCE_PANEL


@allowed_if(policy.can_see_plans)
def index(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    try:
        rows, page = selectors.plan_case_page(actor=actor, cursor=request.GET.get("cursor"))
    except ValueError:  # not a cursor: the first page
        rows, page = selectors.plan_case_page(actor=actor)
    flagged = list(selectors.flagged_deliveries(actor=actor)[:50])
    shown = {case.pk: case for case, _plan in rows} | {d.plan.case.pk: d.plan.case for d in flagged}
    audit_case_list(
        actor=actor, cases=list(shown.values()), request=request, purpose="support_list"
    )
    return render(
        request,
        "support/index.html",
        {"rows": rows, "flagged": flagged, "pager": page.links(request)},
    )


@allowed_if(policy.can_see_plans)
def plan_detail(request: HttpRequest, code: str) -> HttpResponse:
    actor = _user(request)
    case, plan = selectors.plan_get_for_user(actor=actor, code=code, request=request)
    return render(
        request,
        "support/plan.html",
        {
            "case": case,
            "plan": plan,
            "totals": selectors.plan_totals(plan) if plan else None,
            "compensations": selectors.compensation_for_case(actor=actor, case=case),
            "foreign_non_eu": is_foreign_non_eu(case),
            "residence_panel": _residence_panel(),
        },
    )


@allowed_if(policy.can_see_plans)
def plan_edit(request: HttpRequest, code: str) -> HttpResponse:
    actor = _user(request)
    case, plan = selectors.plan_get_for_user(
        actor=actor, code=code, request=request, purpose="support_plan_edit"
    )
    initial: dict[str, Any] = {}
    if plan is not None:
        initial = {
            "starts_on": plan.starts_on,
            "ends_on": plan.ends_on,
            "services": [p.service for p in plan.planned_services.all()],
            "goals": plan.goals,
            "limit_reason": plan.limit_reason,
        }
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_save(actor=actor, case=case, data=form.plan_input())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The rehabilitation plan was saved."))
            return redirect("support:plan", code=case.person.code)
    return render(request, "support/plan_form.html", {"case": case, "plan": plan, "form": form})


@allowed_if(policy.can_see_plans)
def service_log(request: HttpRequest, code: str) -> HttpResponse:
    actor = _user(request)
    case, plan = selectors.plan_get_for_user(
        actor=actor, code=code, request=request, purpose="service_log"
    )
    if plan is None:
        messages.info(request, _("Make a rehabilitation plan before logging services."))
        return redirect("support:plan_edit", code=case.person.code)
    form = DeliveryForm(
        request.POST or None, initial={"delivered_on": timezone.localdate()}, plan=plan
    )
    if request.method == "POST" and form.is_valid():
        try:
            delivery = services.service_deliver(actor=actor, plan=plan, data=form.delivery_input())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if delivery.limit_flags:
                messages.warning(request, _("The service was logged beyond a limit and flagged."))
            else:
                messages.success(request, _("The service was logged."))
            return redirect("support:services", code=case.person.code)
    return render(
        request,
        "support/service_log.html",
        {
            "case": case,
            "plan": plan,
            "form": form,
            "deliveries": plan.deliveries.all(),
            "totals": selectors.plan_totals(plan),
        },
    )


@allowed_if(policy.can_see_funding)
def funding(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    years = selectors.funding_years()
    year = _year(request, years)
    return render(
        request,
        "support/funding.html",
        {
            "year": year,
            "years": years,
            "rows": selectors.funding_for_user(actor=actor, year=year),
            "by_service": selectors.service_totals_by_category(actor=actor, year=year),
            "other_costs": selectors.other_costs_for_user(actor=actor, year=year),
            "flag_counts": selectors.limit_flag_counts(actor=actor, year=year),
            "compensation": selectors.compensation_statistics_for_user(actor=actor, year=year),
            "can_record_contracts": policy.is_funder(actor),
            "can_record_costs": policy.can_record_other_costs(actor),
        },
    )


@allowed_if(policy.can_record_contracts)
def contract_create(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    form = FundingContractForm(
        request.POST or None,
        providers=selectors.service_providers(),
        initial={"year": timezone.localdate().year},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contract = services.funding_contract_save(
                actor=actor,
                year=data["year"],
                provider=data["provider"],
                planned_eur=data["planned_eur"],
                reference=data["reference"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The funding contract was saved."))
            return redirect(f"{_funding_url()}?year={contract.year}")
    return render(request, "support/contract_form.html", {"form": form})


def _funding_url() -> str:
    from django.urls import reverse

    return reverse("support:funding")


@allowed_if(policy.can_record_other_costs)
def other_cost_create(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    scope = policy.cost_provider_scope(actor)
    providers = selectors.service_providers()
    providers = providers.filter(scope) if scope is not None else providers.none()
    form = OtherCostForm(
        request.POST or None,
        providers=providers,
        initial={"provider": actor.institution_id, "incurred_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cost = services.other_cost_create(
                actor=actor,
                provider=data["provider"],
                incurred_on=data["incurred_on"],
                category=data["category"],
                amount_eur=data["amount_eur"],
                description=data["description"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The cost was recorded."))
            return redirect(f"{_funding_url()}?year={cost.incurred_on.year}")
    return render(request, "support/other_cost_form.html", {"form": form})


@allowed_if(policy.is_compensation_payer)
def compensation(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    form = CompensationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = selectors.compensation_case_lookup(
            actor=actor, code=data["case_code"], request=request
        )
        if case is None:
            form.add_error("case_code", _("No recognised victim has this case code."))
        else:
            try:
                services.compensation_record(
                    actor=actor,
                    case=case,
                    paid_on=data["paid_on"],
                    amount_eur=data["amount_eur"],
                    decision_reference=data["decision_reference"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The compensation was recorded."))
                return redirect("support:compensation")
    payments = list(selectors.compensation_list(actor=actor))
    shown = {p.case.pk: p.case for p in payments}
    audit_case_list(
        actor=actor, cases=list(shown.values()), request=request, purpose="compensation_list"
    )
    years = sorted({p.paid_on.year for p in payments}, reverse=True)
    return render(
        request,
        "support/compensation.html",
        {
            "form": form,
            "payments": payments,
            "statistics": [
                (y, selectors.compensation_statistics_for_user(actor=actor, year=y)) for y in years
            ],
        },
    )
