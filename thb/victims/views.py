"""Pages of the victim register. Views are thin: forms parse, services write,
selectors read and scope."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from thb.accounts.models import User
from thb.core.paging import bounded_count, request_page
from thb.core.registry import registry
from thb.screening.forms import ScreeningSectionForm, split_service_error
from thb.screening.selectors import case_screenings
from thb.victims.forms import (
    CaseFilterForm,
    DecisionForm,
    InjuredPartyForm,
    IntakeForm,
    ProfileEditForm,
    RoutingForm,
    VictimProfileForm,
)
from thb.victims.models import Case
from thb.victims.policy import CasePolicy, identity_for
from thb.victims.selectors import CASE_ORDER, audit_case_list, case_get_for_user
from thb.victims.selectors import (
    case_list as select_cases,
)
from thb.victims.services import (
    Intake,
    case_record_injured_party,
    case_route,
    case_update_profile,
    decision_record,
)
from thb.victims.services import (
    case_create as create_case,
)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _case_links(user: User, case: Case) -> list[dict[str, str]]:
    """Links other apps offer on the case page (declared with register_case_links)."""
    links: list[dict[str, str]] = []
    for case_links in registry.case_links:
        links.extend(case_links(actor=user, case=case))
    return links


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not CasePolicy.can_list(user):
        raise PermissionDenied
    filters = CaseFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    cases = select_cases(
        actor=user,
        year=data.get("year"),
        status=data.get("status", ""),
        form=data.get("form", ""),
        citizenship=data.get("citizenship", ""),
    )
    page = request_page(request, cases, order=CASE_ORDER)
    audit_case_list(actor=user, cases=page.items, request=request)
    return render(
        request,
        "victims/case_list.html",
        {
            "filters": filters,
            "page": page,
            "total": bounded_count(cases),
            "pager": page.links(request),
            "can_create": CasePolicy.can_create(user),
        },
    )


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not CasePolicy.can_create(user):
        raise PermissionDenied
    form = IntakeForm(request.POST or None)
    screening = ScreeningSectionForm(request.POST or None, allow_notes_only=True)
    if request.method == "POST" and all([form.is_valid(), screening.is_valid()]):
        exploitation = form.exploitation_profile()
        if form.is_valid():  # the place rows may have added errors
            data = form.cleaned_data
            intake = Intake(
                intake_date=data["intake_date"],
                referral_channel=data["referral_channel"],
                referring_institution=data.get("referring_institution"),
                victim=form.victim_profile(),
                identity=form.identity(),
                exploitation=exploitation,
                screening_notes=screening.notes_only(),
                screening=screening.screening_input(),
            )
            try:
                case = create_case(actor=user, intake=intake)
            except ValidationError as error:
                screening_error, rest = split_service_error(error)
                if screening_error is not None:
                    screening.apply_service_error(screening_error)
                if rest is not None:
                    form.apply_service_error(rest)
            else:
                messages.success(
                    request, _("Intake recorded as %(code)s.") % {"code": case.person.code}
                )
                return redirect("victims:case_detail", code=case.person.code)
    return render(
        request,
        "victims/case_form.html",
        {"form": form, "screening_form": screening, "title": _("Record an intake")},
    )


@login_required
def case_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = _user(request)
    case = case_get_for_user(actor=user, code=code, request=request)
    identity = identity_for(user, case, request)
    return render(
        request,
        "victims/case_detail.html",
        {
            "case": case,
            "identity": identity,
            "forms": case.forms.all(),
            "places": case.places.all(),
            "decisions": case.decisions.select_related("recorded_by", "deciding_institution"),
            "events": case.events.select_related("actor"),
            "can": CasePolicy(user, case).as_dict(),
            "case_links": _case_links(user, case),
            "screenings": case_screenings(user, case, request),
        },
    )


@login_required
def case_profile_edit(request: HttpRequest, code: str) -> HttpResponse:
    user = _user(request)
    case = case_get_for_user(actor=user, code=code, request=request, purpose="edit")
    if not CasePolicy(user, case).can_edit:
        raise PermissionDenied
    initial = VictimProfileForm.initial_for(case)
    identity = identity_for(user, case, request)
    if identity is not None:
        for name in ("given_names", "surname", "personal_code", "phone", "email", "address"):
            initial[name] = getattr(identity, name)
        initial["date_of_birth"] = identity.date_of_birth or None
    form = ProfileEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        exploitation = form.exploitation_profile()
        if form.is_valid():
            try:
                case_update_profile(
                    actor=user,
                    case=case,
                    victim=form.victim_profile(),
                    exploitation=exploitation,
                    screening_notes=form.cleaned_data.get("screening_notes", ""),
                    identity=form.identity(),
                )
            except ValidationError as error:
                form.apply_service_error(error)
            else:
                messages.success(request, _("Profile saved."))
                return redirect("victims:case_detail", code=case.person.code)
    return render(
        request,
        "victims/case_form.html",
        {"form": form, "case": case, "title": _("Edit the profile of %(code)s") % {"code": code}},
    )


@login_required
def case_decision(request: HttpRequest, code: str) -> HttpResponse:
    user = _user(request)
    case = case_get_for_user(actor=user, code=code, request=request, purpose="decision")
    kinds = CasePolicy(user, case).decision_kinds
    if not kinds:
        raise PermissionDenied
    form = DecisionForm(
        request.POST or None,
        kinds=kinds,
        initial={"proceeding_reference": case.proceeding_reference},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision_record(
                actor=user,
                case=case,
                kind=data["kind"],
                decided_on=data["decided_on"],
                recognised=data["recognised"],
                criteria_met=data.get("criteria_met", []),
                reasons=data.get("reasons", ""),
                members=data.get("members", ""),
                proceeding_reference=data.get("proceeding_reference", ""),
            )
        except ValidationError as error:
            form.apply_service_error(error)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("victims:case_detail", code=case.person.code)
    return render(
        request,
        "victims/case_form.html",
        {
            "form": form,
            "case": case,
            "title": _("Identification decision for %(code)s") % {"code": code},
        },
    )


@login_required
def case_routing(request: HttpRequest, code: str) -> HttpResponse:
    user = _user(request)
    case = case_get_for_user(actor=user, code=code, request=request, purpose="routing")
    can = CasePolicy(user, case).as_dict()
    if not (can["route"] or can["injured_party"]):
        raise PermissionDenied
    routing = RoutingForm(
        request.POST if "route" in request.POST else None,
        initial={
            "submitted_to_commission_on": case.submitted_to_commission_on,
            "proceeding_institution": case.proceeding_institution,
            "proceeding_reference": case.proceeding_reference,
        },
        prefix="route",
    )
    injured = InjuredPartyForm(
        request.POST if "injured" in request.POST else None,
        initial={
            "recognised_on": case.injured_party_on,
            "proceeding_reference": case.injured_party_proceeding or case.proceeding_reference,
        },
        prefix="injured",
    )
    if request.method == "POST":
        if "route" in request.POST and can["route"] and routing.is_valid():
            data = routing.cleaned_data
            try:
                case_route(
                    actor=user,
                    case=case,
                    submitted_to_commission_on=data.get("submitted_to_commission_on"),
                    proceeding_institution=data.get("proceeding_institution"),
                    proceeding_reference=data.get("proceeding_reference", ""),
                )
            except ValidationError as error:
                routing.apply_service_error(error)
            else:
                messages.success(request, _("Routing saved."))
                return redirect("victims:case_detail", code=case.person.code)
        elif "injured" in request.POST and can["injured_party"] and injured.is_valid():
            data = injured.cleaned_data
            try:
                case_record_injured_party(
                    actor=user,
                    case=case,
                    recognised_on=data["recognised_on"],
                    proceeding_reference=data["proceeding_reference"],
                )
            except ValidationError as error:
                injured.apply_service_error(error)
            else:
                messages.success(request, _("Injured-party status recorded."))
                return redirect("victims:case_detail", code=case.person.code)
    return render(
        request,
        "victims/case_routing.html",
        {"case": case, "routing": routing, "injured": injured, "can": can},
    )
