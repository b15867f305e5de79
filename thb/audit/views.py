from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from thb.audit.describe import describe
from thb.audit.models import Action, AuditEvent
from thb.audit.selectors import audit_event_list
from thb.audit.services import audit_chain_report, audit_record


def _audit_codes_shown(request: HttpRequest, events: list[AuditEvent]) -> None:
    """The log shows the case codes its events name: reading it is a read of those codes
    too, audited like any list of cases (one event naming them)."""
    codes: set[str] = set()
    for event in events:
        details = event.details if isinstance(event.details, dict) else {}
        codes.update(c for c in details.get("codes", []) if isinstance(c, str))
        if isinstance(details.get("code"), str) and details["code"]:
            codes.add(details["code"])
    if codes:
        audit_record(
            actor=request.user,  # type: ignore[arg-type]
            action=Action.READ,
            object_type=AuditEvent._meta.label_lower,
            details={"purpose": "audit_log", "codes": sorted(codes)},
            request=request,
        )


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    events = audit_event_list(
        actor=request.user,  # type: ignore[arg-type]
        object_type=request.GET.get("object_type", ""),
        object_id=request.GET.get("object_id", ""),
        username=request.GET.get("username", ""),
    )
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    _audit_codes_shown(request, list(page))
    report = audit_chain_report() if request.GET.get("verify") else None
    names: dict[str, str] = {}
    rows = [(event, describe(event, names)) for event in page]
    return render(
        request,
        "audit/event_list.html",
        {
            "page": page,
            "rows": rows,
            "report": report,
            "broken": report.broken if report else None,
        },
    )
