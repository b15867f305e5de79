"""Residence API: a case's residence track with its deadlines, and the deadlines of
the caller's institution. Read-only; the same access helpers as the pages."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from thb.accounts.models import User
from thb.core.paging import api_page, set_page_headers
from thb.core.params import CursorQuery, LimitQuery
from thb.residence.policy import can_see_deadlines
from thb.residence.selectors import (
    audit_deadline_list,
    deadline_page,
    residence_case_get_for_user,
    track_deadlines,
    track_for_case,
    track_requests,
)
from thb.victims.selectors import case_victim_status

router = Router(tags=["residence"])


class DeadlineOut(Schema):
    case: str
    kind: str
    legal_basis: dict[str, str] = Field(
        description="The provision that sets the deadline, cited in each of the country's "
        'languages: {language code: citation}, e.g. {"en": "…"}.'
    )
    started_by: str
    started_on: date
    due_on: date
    responsible_institution: str
    status: str
    met_on: date | None


class PermitOut(Schema):
    holder: str
    issued_on: date
    valid_from: date
    valid_to: date
    right_to_work: bool


class RequestOut(Schema):
    kind: str
    requested_on: date
    months: int
    accompanying_minor_children: int
    permits: list[PermitOut]


class TrackOut(Schema):
    case: str
    status_granted_on: date | None
    information_given_on: date | None
    application_on: date | None
    reflection_decided_on: date | None
    reflection_granted: bool | None
    reflection_start: date | None
    reflection_end: date | None
    evaluated_on: date | None
    further_stay_useful: bool | None
    requests: list[RequestOut]
    deadlines: list[DeadlineOut]


def _deadline(d: object, today: date) -> DeadlineOut:
    from thb.residence.models import Deadline

    assert isinstance(d, Deadline)
    return DeadlineOut(
        case=d.track.case.person.code,
        kind=d.kind,
        legal_basis=d.legal_basis,
        started_by=d.started_by,
        started_on=d.started_on,
        due_on=d.due_on,
        responsible_institution=d.responsible_institution.code,
        status=d.status_on(today),
        met_on=d.met_on,
    )


@router.get("/deadlines", response=list[DeadlineOut])
def deadlines(
    request: HttpRequest,
    response: HttpResponse,
    cursor: CursorQuery = None,
    limit: LimitQuery = None,
) -> list[DeadlineOut]:
    """Overdue and soon-due deadlines of the caller's institution and role, the
    earliest due first, a page at a time: the next page's cursor is in the `Link`
    (rel="next") and `X-Next-Cursor` headers."""
    user = request.user
    assert isinstance(user, User)
    if not can_see_deadlines(user):
        raise HttpError(403, "Your role may not read this.")
    today = timezone.localdate()
    view = api_page(deadline_page, actor=user, cursor=cursor, size=limit, today=today)
    audit_deadline_list(actor=user, deadlines=view.overdue + view.due_soon, request=request)
    if view.page is not None:
        set_page_headers(request, response, view.page)
    return [_deadline(d, today) for d in view.overdue + view.due_soon]


@router.get("/{code}", response=TrackOut)
def track(request: HttpRequest, code: str) -> TrackOut:
    user = request.user
    assert isinstance(user, User)
    case = residence_case_get_for_user(actor=user, code=code, request=request)
    t = track_for_case(case, actor=user, request=request)
    today = timezone.localdate()
    status = case_victim_status(case)  # the victim register's reading, as on the page
    return TrackOut(
        case=case.person.code,
        status_granted_on=status.granted_on if status else None,
        information_given_on=t.information_given_on if t else None,
        application_on=t.application_on if t else None,
        reflection_decided_on=t.reflection_decided_on if t else None,
        reflection_granted=t.reflection_granted if t else None,
        reflection_start=t.reflection_start if t else None,
        reflection_end=t.reflection_end if t else None,
        evaluated_on=t.evaluated_on if t else None,
        further_stay_useful=t.further_stay_useful if t else None,
        requests=[
            RequestOut(
                kind=r.kind,
                requested_on=r.requested_on,
                months=r.months,
                accompanying_minor_children=r.accompanying_minor_children,
                permits=[
                    PermitOut(
                        holder=p.holder,
                        issued_on=p.issued_on,
                        valid_from=p.valid_from,
                        valid_to=p.valid_to,
                        right_to_work=p.right_to_work,
                    )
                    for p in r.permits.all()
                ],
            )
            for r in track_requests(t)
        ],
        deadlines=[_deadline(d, today) for d in track_deadlines(t)],
    )
