"""The review queue of possible duplicates: each owning caseworker's side."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from thb.accounts.models import User
from thb.core.access import allowed_if
from thb.core.paging import request_page
from thb.linkage import policy, services
from thb.linkage.models import CandidateStatus
from thb.linkage.selectors import (
    CANDIDATE_ORDER,
    candidate_get_for_user,
    candidate_list,
    side_view,
)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@allowed_if(policy.can_review)
def candidate_index(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    status = request.GET.get("status", CandidateStatus.OPEN)
    if status not in CandidateStatus.values and status != "":
        status = CandidateStatus.OPEN
    page = request_page(request, candidate_list(actor=actor, status=status), order=CANDIDATE_ORDER)
    return render(
        request,
        "linkage/list.html",
        {
            "pairs": [side_view(actor, candidate) for candidate in page],
            "pager": page.links(request),
            "status": status,
            "statuses": CandidateStatus.choices,
        },
    )


@allowed_if(policy.can_review)
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _user(request)
    if request.method == "POST":
        action = request.POST.get("action", "")
        candidate = candidate_get_for_user(actor=actor, pk=pk, request=request, purpose=action)
        try:
            if action == "confirm":
                candidate = services.candidate_confirm(actor=actor, candidate=candidate)
                if candidate.status == CandidateStatus.LINKED:
                    messages.success(
                        request, _("Both institutions confirmed: the person is counted once.")
                    )
                else:
                    messages.success(
                        request,
                        _("Confirmed. The link applies when the other institution confirms."),
                    )
            elif action == "reject":
                services.candidate_reject(actor=actor, candidate=candidate)
                messages.success(request, _("Rejected: the pair will not be proposed again."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("linkage:detail", pk=pk)
    candidate = candidate_get_for_user(actor=actor, pk=pk, request=request)
    return render(request, "linkage/detail.html", {"pair": side_view(actor, candidate)})
