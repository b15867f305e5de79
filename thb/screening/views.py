"""The screening app's one page: record a screening on an existing case (the intake
records one with the case; this is for a screening done later). Thin: the form
parses, the service writes, the policy decides."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from thb.accounts.models import User
from thb.screening.forms import ScreeningSectionForm
from thb.screening.policy import ScreeningPolicy
from thb.screening.services import record_input
from thb.victims.selectors import case_get_for_user


@login_required
def case_screening(request: HttpRequest, code: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    case = case_get_for_user(actor=user, code=code, request=request, purpose="screening")
    if not ScreeningPolicy.can_record(user, case):
        raise PermissionDenied
    form = ScreeningSectionForm(request.POST or None, required=True)
    if request.method == "POST" and form.is_valid():
        screening = form.screening_input()
        if screening is not None:
            try:
                record_input(user, screening, case=case)
            except ValidationError as error:
                form.apply_service_error(error)
            else:
                messages.success(request, _("Screening recorded."))
                return redirect("victims:case_detail", code=case.person.code)
    return render(
        request,
        "screening/case_screening.html",
        {
            "case": case,
            "screening_form": form,
            "title": _("Screening of %(code)s") % {"code": case.person.code},
        },
    )
