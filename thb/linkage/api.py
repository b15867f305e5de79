"""Record-linkage API: the caller's side of the possible duplicates in its review
queue, and its confirmation or rejection. The same policy and selectors as the pages:
no identity and nothing of the other institution's case is returned."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from thb.accounts.models import User
from thb.core.paging import api_list_page
from thb.core.params import CursorQuery, LimitQuery
from thb.linkage import policy, services
from thb.linkage.selectors import (
    CANDIDATE_ORDER,
    SideView,
    candidate_get_for_user,
    candidate_list,
    side_view,
)

router = Router(tags=["linkage"])


class CandidateOut(Schema):
    id: int
    score: float
    matched: list[str]
    status: str
    other_institution: str
    own_case_code: str | None
    """The caller's own case (one pair's read is audited; the list leaves it out)."""
    own_confirmed: bool
    other_confirmed: bool


def _allowed(request: HttpRequest) -> User:
    actor = request.user
    assert isinstance(actor, User)
    if not policy.can_review(actor):
        raise PermissionDenied
    return actor


def _out(view: SideView, *, with_code: bool = True) -> CandidateOut:
    return CandidateOut(
        id=view.pk,
        score=round(view.score, 4),
        matched=view.matched,
        status=view.status,
        other_institution=view.other_institution.code,
        own_case_code=view.own_case_code if with_code else None,
        own_confirmed=view.own_confirmed,
        other_confirmed=view.other_confirmed,
    )


@router.get("/candidates", response=list[CandidateOut], summary="Possible duplicates to review")
def candidates(
    request: HttpRequest,
    response: HttpResponse,
    status: str = "open",
    cursor: CursorQuery = None,
    limit: LimitQuery = None,
) -> list[CandidateOut]:
    """The likeliest first, a page at a time: the next page's cursor is in the
    `X-Next-Cursor` and `Link` (rel="next") headers."""
    actor = _allowed(request)
    pairs = candidate_list(actor=actor, status=status)
    page = api_list_page(
        request, response, pairs, order=CANDIDATE_ORDER, cursor=cursor, limit=limit
    )
    return [_out(side_view(actor, candidate), with_code=False) for candidate in page.items]


@router.get("/candidates/{pk}", response=CandidateOut, summary="One pair (the read is audited)")
def candidate(request: HttpRequest, pk: int) -> CandidateOut:
    actor = _allowed(request)
    found = candidate_get_for_user(actor=actor, pk=pk, request=request)
    return _out(side_view(actor, found))


@router.post("/candidates/{pk}/confirm", response=CandidateOut, summary="Confirm one person")
def confirm(request: HttpRequest, pk: int) -> CandidateOut:
    actor = _allowed(request)
    found = candidate_get_for_user(actor=actor, pk=pk, request=request, purpose="confirm")
    return _out(side_view(actor, services.candidate_confirm(actor=actor, candidate=found)))


@router.post("/candidates/{pk}/reject", response=CandidateOut, summary="Different persons")
def reject(request: HttpRequest, pk: int) -> CandidateOut:
    actor = _allowed(request)
    found = candidate_get_for_user(actor=actor, pk=pk, request=request, purpose="reject")
    return _out(side_view(actor, services.candidate_reject(actor=actor, candidate=found)))
