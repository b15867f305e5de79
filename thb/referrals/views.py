"""Pages of referrals: the referring institution sends referrals and anonymous
notifications and follows their status; the provider acknowledges, declines or
accepts, and an accepted referral becomes the case's intake. Views stay thin: the
policy gates, selectors open (404 outside scope, audited), services write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from thb.accounts.models import User
from thb.core.access import allowed_if
from thb.core.forms import Draft
from thb.core.paging import request_page
from thb.referrals import policy, services
from thb.referrals.forms import DeclineForm, NotificationForm, ReferralForm
from thb.referrals.models import Referral, ReferralStatus
from thb.referrals.rules import today
from thb.referrals.selectors import (
    NOTIFICATION_ORDER,
    REFERRAL_ORDER,
    notification_conclusion,
    notification_list,
    referral_get_for_user,
    referral_list,
    referral_screening,
)
from thb.screening.forms import ScreeningSectionForm
from thb.victims.forms import IntakeForm
from thb.victims.models import country_code


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


# The screening service's error keys: shown in the screening section of the page.
SCREENING_FIELDS = {"indicators", "list_key", "version", "notes", "screened_on"}


def _apply_error(error: ValidationError, form: Any, screening: ScreeningSectionForm) -> None:
    if not hasattr(error, "error_dict"):
        form.apply_service_error(error)
        return
    ours = {k: v for k, v in error.error_dict.items() if k not in SCREENING_FIELDS}
    theirs = {k: v for k, v in error.error_dict.items() if k in SCREENING_FIELDS}
    if theirs:
        screening.apply_service_error(ValidationError(theirs))
    if ours:
        form.apply_service_error(ValidationError(ours))


@allowed_if(policy.can_use)
def referral_index(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    status = request.GET.get("status", "")
    if status not in ReferralStatus.values:
        status = ""
    referrals = request_page(
        request, referral_list(actor=actor, status=status), order=REFERRAL_ORDER
    )
    notifications = request_page(
        request,
        notification_list(actor=actor),
        order=NOTIFICATION_ORDER,
        param="notifications",
    )
    return render(
        request,
        "referrals/list.html",
        {
            "referrals": referrals,
            "pager": referrals.links(request),
            "notifications": [(n, notification_conclusion(n)) for n in notifications],
            "notifications_pager": notifications.links(request),
            "status": status,
            "statuses": ReferralStatus.choices,
            "can_refer": policy.can_refer(actor),
            "receives": policy.can_receive(actor),
            "today": today(),
        },
    )


@allowed_if(policy.can_refer)
def referral_create(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    form = ReferralForm(request.POST or None, initial={"consent_on": today()})
    screening = ScreeningSectionForm(request.POST or None)
    if request.method == "POST" and all([form.is_valid(), screening.is_valid()]):
        details = form.details()
        details.screening = screening.screening_input()
        try:
            referral = services.referral_send(actor=actor, person=form.person(), details=details)
        except ValidationError as error:
            _apply_error(error, form, screening)
        else:
            messages.success(
                request,
                _("Referral %(reference)s sent to %(provider)s.")
                % {"reference": referral.reference, "provider": referral.provider.name},
            )
            return redirect("referrals:detail", reference=referral.reference)
    return render(
        request,
        "referrals/form.html",
        {
            "form": form,
            "screening_form": screening,
            "title": _("Refer a presumed victim"),
            "referral_form": True,
        },
    )


@allowed_if(policy.can_notify)
def notification_create(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    form = NotificationForm(request.POST or None, initial={"notified_on": today()})
    screening = ScreeningSectionForm(request.POST or None, prefix="screening")
    # Indicators only: free text could identify the person.
    del screening.fields["notes"]
    if request.method == "POST" and all([form.is_valid(), screening.is_valid()]):
        details = form.details()
        details.screening = screening.screening_input()
        try:
            notification = services.notification_send(actor=actor, details=details)
        except ValidationError as error:
            _apply_error(error, form, screening)
        else:
            messages.success(
                request,
                _("Anonymous notification %(reference)s recorded.")
                % {"reference": notification.reference},
            )
            return redirect("referrals:list")
    return render(
        request,
        "referrals/form.html",
        {
            "form": form,
            "screening_form": screening,
            "title": _("Anonymous notification"),
            "intro": _(
                "For an adult who does not consent to a referral: no name, date of birth "
                "or contact is recorded. The notification is counted in the statistics "
                "of presumed victims who did not enter the mechanism."
            ),
        },
    )


@allowed_if(policy.can_use)
def referral_detail(request: HttpRequest, reference: str) -> HttpResponse:
    actor = _user(request)
    referral = referral_get_for_user(actor=actor, reference=reference, request=request)
    can = policy.ReferralPolicy(actor, referral)
    if request.method == "POST" and "acknowledge" in request.POST:
        if not can.can_acknowledge:
            raise PermissionDenied
        services.referral_acknowledge(actor=actor, referral=referral)
        messages.success(request, _("Referral acknowledged."))
        return redirect("referrals:detail", reference=reference)
    return render(
        request,
        "referrals/detail.html",
        {
            "referral": referral,
            "identity": policy.identity_for(actor, referral, request),
            "screening_view": referral_screening(actor=actor, referral=referral, request=request),
            "can": can.as_dict(),
            "today": today(),
        },
    )


def _answerable(request: HttpRequest, reference: str, purpose: str) -> tuple[User, Referral]:
    actor = _user(request)
    referral = referral_get_for_user(
        actor=actor, reference=reference, request=request, purpose=purpose
    )
    if not policy.ReferralPolicy(actor, referral).can_answer:
        raise PermissionDenied
    return actor, referral


@allowed_if(policy.can_use)
def referral_decline(request: HttpRequest, reference: str) -> HttpResponse:
    actor, referral = _answerable(request, reference, "decline")
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_decline(
                actor=actor,
                referral=referral,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data.get("note", ""),
            )
        except ValidationError as error:
            form.apply_service_error(error)
        else:
            messages.success(request, _("Referral declined."))
            return redirect("referrals:detail", reference=reference)
    return render(
        request,
        "referrals/form.html",
        {
            "form": form,
            "referral": referral,
            "title": _("Decline referral %(reference)s") % {"reference": reference},
        },
    )


def _intake_initial(actor: User, referral: Referral, request: HttpRequest) -> dict[str, Any]:
    """The intake form filled in from the referral: nothing is typed twice."""
    identity = policy.identity_for(actor, referral, request)
    person = services.identity_as_intake(identity)
    return {
        "intake_date": today(),
        "referral_channel": services.intake_channel(referral),
        "referring_institution": referral.referring_institution,
        "given_names": person.given_names,
        "surname": person.surname,
        "personal_code": person.personal_code,
        "date_of_birth": person.date_of_birth,
        "phone": person.phone,
        "address": person.address,
        "sex": referral.sex,
        "citizenship": country_code(referral.citizenship),
        "age_at_identification": referral.age,
        "exploitation_forms": list(referral.suspected_forms),
    }


@allowed_if(policy.can_use)
def referral_accept(request: HttpRequest, reference: str) -> HttpResponse:
    """The referral accepted into a pre-filled intake, in two steps like the intake
    (the form pattern): the form, then check your answers (held in the server session,
    thb.core.forms.Draft) and confirm; nothing is saved before confirm. `?change`
    returns to the form with the answers."""
    actor, referral = _answerable(request, reference, "accept")
    draft = Draft(request, f"referral-accept:{referral.pk}")
    step = request.POST.get("step", "")
    url = reverse("referrals:accept", args=[referral.reference])
    if request.method == "POST" and step == "cancel":
        draft.clear()
        messages.info(request, _("The intake was not recorded."))
        return redirect("referrals:detail", reference=referral.reference)
    if request.method == "POST" and step == "confirm":
        data = draft.load()
        if data is None:
            return redirect(url)
    elif request.method == "POST":
        data = request.POST
    else:
        data = draft.load() if "change" in request.GET else None
        if "change" not in request.GET:
            draft.clear()
    form = IntakeForm(data, initial=_intake_initial(actor, referral, request))
    # Derived from the referral, not chosen again.
    form.fields["referral_channel"].disabled = True
    form.fields["referring_institution"].disabled = True
    if request.method == "POST" and form.is_valid():
        exploitation = form.exploitation_profile()
        if form.is_valid() and step != "confirm":
            draft.save(request.POST)
            return render(
                request,
                "victims/check_answers.html",
                {
                    "title": _("Check the intake before recording it"),
                    "answer_forms": [form],
                    "change_url": url + "?change",
                    "confirm_label": _("Accept and record the intake"),
                },
            )
        if form.is_valid():
            try:
                case = services.referral_accept(
                    actor=actor, referral=referral, intake=form.intake(exploitation)
                )
            except ValidationError as error:
                form.apply_service_error(error)
            else:
                draft.clear()
                messages.success(
                    request,
                    _("Referral accepted: intake recorded as %(code)s.")
                    % {"code": case.person.code},
                )
                return redirect("victims:case_detail", code=case.person.code)
    return render(
        request,
        "referrals/accept.html",
        {
            "form": form,
            "referral": referral,
            "screening_view": referral_screening(actor=actor, referral=referral, request=request),
            "title": _("Accept referral %(reference)s: the intake") % {"reference": reference},
        },
    )
