"""The specialist commission's pages. Thin: the selectors read (scoped and audited), the
forms parse and run the services' checks, the services write, the policy decides."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from thb.accounts.models import User
from thb.commission import minutes, policy, selectors, services
from thb.commission.forms import (
    AgendaForm,
    AttendanceForm,
    ItemDecisionForm,
    MeetingForm,
    PositionForm,
    SubmissionForm,
)
from thb.core.languages import current_language
from thb.profiles import get_profile
from thb.victims.policy import CasePolicy
from thb.victims.selectors import case_get_for_user


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The commission's page: for its members the meetings and the cases awaiting a
    decision; for a provider's caseworker its submissions and their status."""
    user = _user(request)
    if not policy.can_use(user):
        raise PermissionDenied
    submissions = [selectors.summarise(s) for s in selectors.submissions_for(user)]
    is_member = policy.meeting_scope(user) is not None
    meetings = list(selectors.meetings_for(user)) if is_member else []
    selectors.audit_codes(
        actor=user, codes=[s.code for s in submissions], request=request, purpose="commission"
    )
    return render(
        request,
        "commission/index.html",
        {
            "title": get_profile().commission.label.get(current_language()),
            "awaiting": [s for s in submissions if not s.decided],
            "decided": [s for s in submissions if s.decided],
            "meetings": meetings,
            "can_convene": policy.can_convene(user),
            "is_member": is_member,
            "today": timezone.localdate(),
        },
    )


@login_required
def submit(request: HttpRequest, code: str) -> HttpResponse:
    user = _user(request)
    case = case_get_for_user(actor=user, code=code, request=request, purpose="commission")
    if not CasePolicy(user, case).can_route:
        raise PermissionDenied
    existing = selectors.submission_for_case(user, case)
    form = None
    if policy.can_submit(user, case) and existing is None:
        form = SubmissionForm(request.POST or None, case=case)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.submission_create(
                    actor=user,
                    case=case,
                    submitted_on=data["submitted_on"],
                    summary=data["summary"],
                    screening=data.get("screening"),
                )
            except ValidationError as error:
                form.apply_service_error(error)
            else:
                messages.success(request, _("The case is before the specialist commission."))
                return redirect("commission:index")
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "commission/submit.html",
        {
            "title": _("Put %(code)s before the specialist commission") % {"code": code},
            "case": case,
            "form": form,
            "existing": selectors.summarise(existing) if existing is not None else None,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def meeting_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not policy.can_convene(user):
        raise PermissionDenied
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(actor=user, held_on=form.cleaned_data["held_on"])
        except ValidationError as error:
            form.apply_service_error(error)
        else:
            messages.success(request, _("Meeting convened: record who attends."))
            return redirect("commission:meeting_attendance", pk=meeting.pk)
    return render(
        request,
        "commission/form.html",
        {"title": _("Convene the specialist commission"), "form": form, "back": None},
    )


def _meeting_page(request: HttpRequest, pk: int) -> tuple[User, selectors.MeetingView]:
    user = _user(request)
    meeting = selectors.meeting_get_for_user(user, pk)
    view = selectors.meeting_view(meeting)
    selectors.audit_codes(actor=user, codes=view.codes, request=request, purpose="meeting")
    return user, view


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, view = _meeting_page(request, pk)
    return render(
        request,
        "commission/meeting.html",
        {
            "title": _("Commission meeting"),
            "view": view,
            "can_manage": policy.can_manage_meeting(user, view.meeting),
            "present": policy.is_present(user, view.meeting),
        },
    )


@login_required
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    user, view = _meeting_page(request, pk)
    meeting = view.meeting
    if not policy.can_manage_meeting(user, meeting):
        raise PermissionDenied
    form = AttendanceForm(
        request.POST or None,
        meeting=meeting,
        initial={"members": [m.pk for m in view.members], "chair": meeting.chair_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(
                actor=user,
                meeting=meeting,
                members=list(form.cleaned_data["members"]),
                chair=form.cleaned_data["chair"],
            )
        except ValidationError as error:
            form.apply_service_error(error)
        else:
            messages.success(request, _("Attendance recorded."))
            return redirect("commission:meeting_agenda", pk=meeting.pk)
    return render(
        request,
        "commission/form.html",
        {"title": _("Attendance"), "form": form, "view": view, "back": meeting},
    )


@login_required
def meeting_agenda(request: HttpRequest, pk: int) -> HttpResponse:
    user, view = _meeting_page(request, pk)
    meeting = view.meeting
    if not policy.can_manage_meeting(user, meeting):
        raise PermissionDenied
    choices = selectors.agenda_choices(user, meeting)
    selectors.audit_codes(
        actor=user, codes=[s.case.person.code for s in choices], request=request, purpose="agenda"
    )
    form = AgendaForm(
        request.POST or None,
        meeting=meeting,
        choices=choices,
        initial={"submissions": [item.item.submission_id for item in view.items]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_set(
                actor=user, meeting=meeting, submissions=list(form.cleaned_data["submissions"])
            )
        except ValidationError as error:
            form.apply_service_error(error)
        else:
            messages.success(request, _("Agenda set."))
            return redirect("commission:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "commission/form.html",
        {"title": _("Agenda"), "form": form, "view": view, "back": meeting},
    )


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    item = selectors.item_get_for_user(user, pk)
    position_form = decision_form = None
    if policy.can_record_position(user, item):
        own = item.positions.filter(member=user).first()
        position_form = PositionForm(
            request.POST if request.POST.get("action") == "position" else None,
            item=item,
            initial={"stance": own.stance, "reasons": own.reasons} if own else None,
            prefix="position",
        )
    if policy.can_decide(user, item):
        decision_form = ItemDecisionForm(
            request.POST if request.POST.get("action") == "decision" else None,
            item=item,
            prefix="decision",
        )
    action = request.POST.get("action")
    if request.method == "POST":
        if action == "position" and position_form is not None:
            if position_form.is_valid():
                data = position_form.cleaned_data
                try:
                    services.position_record(
                        actor=user, item=item, stance=data["stance"], reasons=data["reasons"]
                    )
                except ValidationError as error:
                    position_form.apply_service_error(error)
                else:
                    messages.success(request, _("Your position is recorded."))
                    return redirect("commission:item_detail", pk=item.pk)
        elif action == "decision" and decision_form is not None:
            if decision_form.is_valid():
                data = decision_form.cleaned_data
                try:
                    services.item_decide(
                        actor=user,
                        item=item,
                        recognised=data["recognised"],
                        criteria_met=data.get("criteria_met") or [],
                        reasons=data.get("reasons") or "",
                    )
                except ValidationError as error:
                    decision_form.apply_service_error(error)
                else:
                    messages.success(request, _("Decision recorded."))
                    return redirect("commission:meeting_detail", pk=item.meeting_id)
        else:
            raise PermissionDenied
    view = selectors.item_view(item)
    selectors.audit_codes(
        actor=user, codes=[view.case.code], request=request, purpose="agenda_item"
    )
    return render(
        request,
        "commission/item.html",
        {
            "title": _("Agenda case %(code)s") % {"code": view.case.code},
            "view": view,
            "meeting": item.meeting,
            "position_form": position_form,
            "decision_form": decision_form,
            "quorum": selectors.meeting_view(item.meeting).quorum,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    user, view = _meeting_page(request, pk)
    content = minutes.render_pdf(view)
    minutes.audit_download(actor=user, view=view, request=request)
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"minutes-{view.meeting.institution.code}-{view.meeting.held_on.isoformat()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
