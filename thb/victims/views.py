"""Pages of the victim register. Views are thin: forms parse, services write,
selectors read and scope."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from thb.accounts.models import User
from thb.core.forms import Draft
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
from thb.victims.selectors import CASE_ORDER, audit_case_list, case_get_for_user, case_timeline
from thb.victims.selectors import (
    case_list as select_cases,
)
from thb.victims.services import (
    case_create as create_case,
)
from thb.victims.services import (
    case_record_injured_party,
    case_route,
    case_update_profile,
    decision_record,
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


def _intake_forms(data: QueryDict | None) -> tuple[IntakeForm, ScreeningSectionForm]:
    return IntakeForm(data), ScreeningSectionForm(data, allow_notes_only=True)


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    """The intake in two steps (the form pattern): the form, then check your answers
    (held in the server session, thb.core.forms.Draft) and confirm; nothing is saved
    before confirm. `?change` returns to the form with the answers."""
    user = _user(request)
    if not CasePolicy.can_create(user):
        raise PermissionDenied
    draft = Draft(request, "intake")
    step = request.POST.get("step", "")
    if request.method == "POST" and step == "cancel":
        draft.clear()
        messages.info(request, _("The intake was not recorded."))
        return redirect("victims:case_list")
    if request.method == "POST" and step == "confirm":
        data = draft.load()
        if data is None:
            return redirect("victims:case_create")
        form, screening = _intake_forms(data)
    elif request.method == "POST":
        form, screening = _intake_forms(request.POST)
    else:
        form, screening = _intake_forms(draft.load() if "change" in request.GET else None)
        if "change" not in request.GET:
            draft.clear()
    if request.method == "POST" and all([form.is_valid(), screening.is_valid()]):
        if step != "confirm":
            draft.save(request.POST)
            return render(
                request,
                "victims/check_answers.html",
                {
                    "title": _("Check the intake before recording it"),
                    "answer_forms": [form, screening],
                    "change_url": reverse("victims:case_create") + "?change",
                    "confirm_label": _("Record the intake"),
                },
            )
        intake = form.intake(form.exploitation_profile())
        intake.screening_notes = screening.notes_only()
        intake.screening = screening.screening_input()
        try:
            case = create_case(actor=user, intake=intake)
        except ValidationError as error:
            screening_error, rest = split_service_error(error)
            if screening_error is not None:
                screening.apply_service_error(screening_error)
            if rest is not None:
                form.apply_service_error(rest)
        else:
            draft.clear()
            messages.success(
                request, _("Intake recorded as %(code)s.") % {"code": case.person.code}
            )
            return redirect("victims:case_detail", code=case.person.code)
    return render(
        request,
        "victims/case_form.html",
        {
            "form": form,
            "screening_form": screening,
            "title": _("Record an intake"),
            "submit_label": _("Continue"),
        },
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
            "vulnerabilities": case.vulnerabilities.all(),
            "transits": case.transits.all(),
            "decisions": case.decisions.select_related("recorded_by", "deciding_institution"),
            "timeline": case_timeline(case),
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
    form = ProfileEditForm(request.POST or None, initial=initial, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            case_update_profile(
                actor=user,
                case=case,
                victim=form.victim_profile(),
                exploitation=form.exploitation_profile(),
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
    # Two steps, as the intake: the form, then check your answers and confirm.
    draft = Draft(request, f"decision:{case.pk}")
    step = request.POST.get("step", "")
    if request.method == "POST" and step == "cancel":
        draft.clear()
        messages.info(request, _("The decision was not recorded."))
        return redirect("victims:case_detail", code=case.person.code)
    if request.method == "POST" and step == "confirm":
        data = draft.load()
        if data is None:
            return redirect("victims:case_decision", code=case.person.code)
    elif request.method == "POST":
        data = request.POST
    else:
        data = draft.load() if "change" in request.GET else None
        if data is None:
            draft.clear()
    form = DecisionForm(
        data,
        kinds=kinds,
        intake_date=case.intake_date,
        case_forms=[row.form for row in case.forms.all()],
        initial={"proceeding_reference": case.proceeding_reference},
    )
    title = _("Identification decision for %(code)s") % {"code": code}
    if request.method == "POST" and form.is_valid():
        if step != "confirm":
            draft.save(request.POST)
            return render(
                request,
                "victims/check_answers.html",
                {
                    "title": _("Check the decision before recording it"),
                    "case": case,
                    "answer_forms": [form],
                    "change_url": reverse("victims:case_decision", args=[code]) + "?change",
                    "confirm_label": _("Record the decision"),
                },
            )
        chosen = form.cleaned_data
        try:
            decision_record(
                actor=user,
                case=case,
                kind=chosen["kind"],
                decided_on=chosen["decided_on"],
                recognised=chosen["recognised"],
                criteria_met=chosen.get("criteria_met", []),
                reasons=chosen.get("reasons", ""),
                members=chosen.get("members", ""),
                proceeding_reference=chosen.get("proceeding_reference", ""),
            )
        except ValidationError as error:
            form.apply_service_error(error)
        else:
            draft.clear()
            messages.success(request, _("Decision recorded."))
            return redirect("victims:case_detail", code=case.person.code)
    return render(
        request,
        "victims/case_form.html",
        {"form": form, "case": case, "title": title, "submit_label": _("Continue")},
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
