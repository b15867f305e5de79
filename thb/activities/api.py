"""The activity records over the JSON API: one scoped list endpoint per record type
(`/api/v1/activities/{type}/?year=&institution=`) and the year's activity figures for
the coordinator. Same selectors as the pages, so the same scope."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Body, Router
from ninja.errors import HttpError
from ninja.responses import Status

from thb.accounts.models import User
from thb.activities.forms import record_form
from thb.activities.policy import can_change, can_read, can_see_statistics, sees_all
from thb.activities.record_types import TYPES
from thb.activities.selectors import activity_figures, record_list, record_order
from thb.activities.services import record_save
from thb.core.paging import api_list_page
from thb.core.params import CursorQuery, LimitQuery, YearPath, YearQuery

router = Router(tags=["activities"])


def _json(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "pk"):
        return value.pk
    return value


@router.get("/types", response=list[dict[str, Any]])
def record_types(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"type": t.slug, "label": str(t.label_plural), "aggregate": t.aggregate, "fields": t.fields}
        for t in TYPES.values()
    ]


@router.get("/figures/{year}", response=dict[str, Any])
def figures(request: HttpRequest, year: YearPath) -> dict[str, Any]:
    actor: User = request.user  # type: ignore[assignment]
    if not can_see_statistics(actor):
        raise HttpError(403, "Your role may not read this.")
    return {
        "year": year,
        "figures": {
            fid: {
                "value": f.value,
                "aggregate": f.aggregate,
                "basis": f.basis_code,
                "basis_label": f.basis,
                "source": f.source,
            }
            for fid, f in activity_figures(year).items()
        },
    }


@router.get("/{slug}/", response=list[dict[str, Any]])
def record_list_endpoint(
    request: HttpRequest,
    response: HttpResponse,
    slug: str,
    year: YearQuery = None,
    institution: str = "",
    cursor: CursorQuery = None,
    limit: LimitQuery = None,
) -> list[dict[str, Any]]:
    """The records of a type in the lists' order, a page at a time: the next page's
    cursor is in the `X-Next-Cursor` and `Link` (rel="next") headers."""
    actor: User = request.user  # type: ignore[assignment]
    if slug not in TYPES:
        raise Http404
    if not can_read(actor):
        raise HttpError(403, "Your role may not read this.")
    record_type = TYPES[slug]
    records = record_list(
        actor=actor,
        record_type=record_type,
        year=year,
        institution=institution if sees_all(actor) else "",
    )
    out = []
    page = api_list_page(
        request, response, records, order=record_order(record_type), cursor=cursor, limit=limit
    )
    for record in page.items:
        item = {
            "id": record.pk,
            "institution": record.institution.code,
            "external_id": record.external_id,
            "aggregate": record_type.aggregate,
        }
        for name in record_type.fields:
            item[name] = _json(getattr(record, name))
        out.append(item)
    return out


@router.post("/{slug}/", response={201: dict[str, Any]})
def record_create_endpoint(
    request: HttpRequest, slug: str, payload: Body[dict[str, Any]]
) -> Status[dict[str, Any]]:
    """Record one record of the type for the caller's institution: the fields of
    `/types`, as the record form takes them (codes, ISO dates, numbers). The form and
    the service of the pages check them, so a refused value answers 422
    {"detail": {field: [message]}} and nothing is saved."""
    actor: User = request.user  # type: ignore[assignment]
    if slug not in TYPES:
        raise Http404
    record_type = TYPES[slug]
    if not can_change(actor, record_type, None):
        raise PermissionDenied
    form = record_form(record_type=record_type, actor=actor, data=payload)
    if not form.is_valid():
        raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
    record, _created = record_save(
        actor=actor, record_type=record_type, values=form.cleaned_values()
    )
    return Status(201, {"id": record.pk, "type": slug})
