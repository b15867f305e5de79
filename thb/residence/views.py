"""Pages of the residence track: the timeline of a case, a form per step, PMLP's
permit form and the deadlines list. Views stay thin: access through the selectors'
helpers (404 outside scope), writes through services (403 for the wrong role)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from thb.accounts.models import User
from thb.core.access import allowed_if
from thb.core.forms import add_service_errors
from thb.core.languages import current_language
from thb.core.registry import deadline_items
from thb.profiles import get_profile
from thb.residence import forms, policy, services
from thb.residence.models import StatusBasis
from thb.residence.selectors import (
    audit_deadline_list,
    deadline_page,
    permit_request_get_for_user,
    permit_requests_pending,
    residence_case_get_for_user,
    track_deadlines,
    track_for_case,
    track_requests,
)
from thb.victims.models import Case
from thb.victims.selectors import case_victim_status


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _support_plan_url(code: str) -> str | None:
    # The support app owns the rehabilitation plan; link to it once it exists.
    try:
        return reverse("support:plan", args=[code])
    except NoReverseMatch:
        return None


def _citations(language: str) -> dict[str, Any]:
    section = get_profile().residence
    rules = section.rules

    def cite(basis: Any) -> dict[str, Any]:
        return {"text": section.cite(basis, language), "checked": basis.checked}

    return {
        "information": cite(section.information_basis),
        "application": {
            **cite(rules.application_days.basis),
            "value": rules.application_days.value,
        },
        "reflection": {
            **cite(rules.reflection_period_days.basis),
            "value": rules.reflection_period_days.value,
        },
        "evaluation": {
            **cite(rules.evaluation_working_days.basis),
            "value": rules.evaluation_working_days.value,
        },
        "permit": {**cite(rules.permit_min_months.basis), "value": rules.permit_min_months.value},
        "request": cite(section.permit_request_basis),
        "extension": cite(section.extension_basis),
        "right_to_work": cite(section.right_to_work_basis),
    }


@allowed_if(policy.can_open_tracks)
def track(request: HttpRequest, code: str) -> HttpResponse:
    actor = _user(request)
    case = residence_case_get_for_user(actor=actor, code=code, request=request)
    residence_track = track_for_case(case, actor=actor, request=request)
    today = timezone.localdate()
    language = current_language()
    deadlines = [
        (d, d.status_on(today), d.legal_basis_in(language))
        for d in track_deadlines(residence_track)
    ]
    # The status as the victim register holds it now (one place: the victims app's
    # selector), not the track's copy, which exists only once a step is recorded.
    status = case_victim_status(case)
    return render(
        request,
        "residence/track.html",
        {
            "case": case,
            "track": residence_track,
            "victim_status": status,
            "victim_status_label": StatusBasis(status.basis).label if status else "",
            "out_of_scope": services.out_of_scope_reason(case),
            "deadlines": deadlines,
            "requests": track_requests(residence_track),
            "law": _citations(language),
            "support_plan_url": _support_plan_url(case.person.code),
            "is_caseworker": policy.is_caseworker(actor, case),
            "is_process_director": policy.is_process_director(actor, case),
            "language": language,
        },
    )


def _step(
    request: HttpRequest,
    code: str,
    form_class: type[forms.StepForm],
    save: Callable[[User, Case, dict[str, Any]], str | None],
    title: str,
    allowed: Callable[[User, Case], bool],
) -> HttpResponse:
    """A step form: GET shows it, POST runs the service. Outsiders get 404 from the
    access helper; a user who may see the case but not record this step gets 403."""
    actor = _user(request)
    case = residence_case_get_for_user(actor=actor, code=code, request=request)
    if not allowed(actor, case):
        raise PermissionDenied
    reason = services.out_of_scope_reason(case)
    form = form_class(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            warning = save(actor, case, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if warning:
                messages.warning(request, warning)
            messages.success(request, _("Saved."))
            return redirect("residence:track", code=case.person.code)
    return render(
        request,
        "residence/step_form.html",
        {
            "case": case,
            "form": form,
            "title": title,
            "out_of_scope": reason,
            "law": _citations(current_language()),
        },
        status=400 if request.method == "POST" else 200,
    )


@allowed_if(policy.can_open_tracks)
def information(request: HttpRequest, code: str) -> HttpResponse:
    def save(actor: User, case: Case, data: dict[str, Any]) -> None:
        services.information_record(
            actor=actor, case=case, given_on=data["given_on"], language=data["language"]
        )

    return _step(
        request,
        code,
        forms.InformationForm,
        save,
        _("Written information about the reflection period"),
        policy.is_caseworker,
    )


@allowed_if(policy.can_open_tracks)
def application(request: HttpRequest, code: str) -> HttpResponse:
    def save(actor: User, case: Case, data: dict[str, Any]) -> str | None:
        _track, late = services.application_record(
            actor=actor,
            case=case,
            submitted_on=data["submitted_on"],
            late_reason=data["late_reason"],
        )
        if late:
            rule = get_profile().residence.rules.application_days
            return _(
                "Recorded as late: the application is due within %(days)s days after "
                "victim status was granted (%(basis)s)."
            ) % {
                "days": rule.value,
                "basis": get_profile().residence.cite(rule.basis, current_language()),
            }
        return None

    return _step(
        request,
        code,
        forms.ApplicationForm,
        save,
        _("Application for a reflection period"),
        policy.is_caseworker,
    )


@allowed_if(policy.can_open_tracks)
def decision(request: HttpRequest, code: str) -> HttpResponse:
    def save(actor: User, case: Case, data: dict[str, Any]) -> None:
        services.reflection_decision_record(
            actor=actor, case=case, decided_on=data["decided_on"], granted=data["granted"]
        )

    return _step(
        request,
        code,
        forms.ReflectionDecisionForm,
        save,
        _("Decision on the reflection period"),
        policy.is_process_director,
    )


@allowed_if(policy.can_open_tracks)
def evaluation(request: HttpRequest, code: str) -> HttpResponse:
    def save(actor: User, case: Case, data: dict[str, Any]) -> None:
        services.evaluation_record(
            actor=actor,
            case=case,
            evaluated_on=data["evaluated_on"],
            further_stay_useful=data["further_stay_useful"],
            keeps_contact_with_suspects=data["keeps_contact_with_suspects"],
        )

    return _step(
        request,
        code,
        forms.EvaluationForm,
        save,
        _("Evaluation of further stay"),
        policy.is_process_director,
    )


@allowed_if(policy.can_open_tracks)
def permit_request(request: HttpRequest, code: str) -> HttpResponse:
    def save(actor: User, case: Case, data: dict[str, Any]) -> None:
        services.permit_request_record(
            actor=actor,
            case=case,
            requested_on=data["requested_on"],
            months=data["months"],
            migration_office=data["migration_office"],
            kind=data["kind"],
            accompanying_minor_children=data["accompanying_minor_children"],
            reasons=data["reasons"],
        )

    return _step(
        request,
        code,
        forms.PermitRequestForm,
        save,
        _("Request for a temporary residence permit"),
        policy.is_process_director,
    )


@allowed_if(policy.is_migration_office)
def permit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _user(request)
    permit_req = permit_request_get_for_user(actor=actor, pk=pk, request=request)
    form = forms.PermitForm(request.POST or None, permit_request=permit_req)
    if request.method == "POST" and form.is_valid():
        try:
            services.permit_record(actor=actor, request=permit_req, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("residence:deadlines")
    return render(
        request,
        "residence/permit_form.html",
        {"permit_request": permit_req, "form": form, "law": _citations(current_language())},
        status=400 if request.method == "POST" else 200,
    )


@allowed_if(policy.can_see_deadlines)
def deadlines(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    try:
        view = deadline_page(actor=actor, cursor=request.GET.get("cursor"))
    except ValueError:  # not a cursor: the first page
        view = deadline_page(actor=actor)
    today = timezone.localdate()
    # Deadlines other apps declare (register_deadlines), e.g. referrals to acknowledge.
    others = deadline_items(actor=actor, today=today, horizon=view.horizon)
    pending = list(permit_requests_pending(actor=actor))
    audit_deadline_list(
        actor=actor, deadlines=view.overdue + view.due_soon, requests=pending, request=request
    )
    return render(
        request,
        "residence/deadlines.html",
        {
            "view": view,
            "pager": view.page.links(request) if view.page else {},
            "today": today,
            "other_overdue": [item for item in others if item.due_on < today],
            "other_due_soon": [item for item in others if item.due_on >= today],
            "pending_requests": pending,
            "is_migration_office": policy.is_migration_office(actor),
            "language": current_language(),
        },
    )
