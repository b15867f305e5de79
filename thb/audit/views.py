from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from thb.audit.selectors import audit_event_list
from thb.audit.services import audit_chain_report


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    events = audit_event_list(
        actor=request.user,  # type: ignore[arg-type]
        object_type=request.GET.get("object_type", ""),
        object_id=request.GET.get("object_id", ""),
        username=request.GET.get("username", ""),
    )
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    report = audit_chain_report() if request.GET.get("verify") else None
    return render(
        request,
        "audit/event_list.html",
        {"page": page, "report": report, "broken": report.broken if report else None},
    )
