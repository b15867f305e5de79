"""Referrals API: the caller's referrals (incoming for a provider, sent for a
referring institution) and one referral's status. Read-only, scoped by the same
policy and selectors as the pages; no identity is returned."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from thb.accounts.models import User
from thb.core.paging import api_list_page
from thb.core.params import CursorQuery, LimitQuery
from thb.referrals import policy
from thb.referrals.models import Referral
from thb.referrals.selectors import REFERRAL_ORDER, referral_get_for_user, referral_list

router = Router(tags=["referrals"])


class ReferralOut(Schema):
    reference: str
    referring_institution: str
    provider: str
    sent_on: date
    urgency: str
    acknowledge_by: date
    acknowledged_on: date | None
    status: str
    decline_reason: str
    decline_note: str


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _out(referral: Referral) -> ReferralOut:
    return ReferralOut(
        reference=referral.reference,
        referring_institution=referral.referring_institution.code,
        provider=referral.provider.code,
        sent_on=referral.sent_on,
        urgency=referral.urgency,
        acknowledge_by=referral.acknowledge_by,
        acknowledged_on=referral.acknowledged_on,
        status=referral.status,
        decline_reason=referral.decline_reason,
        decline_note=referral.decline_note,
    )


def _allowed(request: HttpRequest) -> User:
    from django.core.exceptions import PermissionDenied

    actor = _user(request)
    if not policy.can_use(actor):
        raise PermissionDenied
    return actor


@router.get("/", response=list[ReferralOut])
def referrals(
    request: HttpRequest,
    response: HttpResponse,
    status: str = "",
    cursor: CursorQuery = None,
    limit: LimitQuery = None,
) -> list[ReferralOut]:
    """The newest first, a page at a time: the next page's cursor is in the
    `X-Next-Cursor` and `Link` (rel="next") headers."""
    actor = _allowed(request)
    referrals = referral_list(actor=actor, status=status)
    page = api_list_page(
        request, response, referrals, order=REFERRAL_ORDER, cursor=cursor, limit=limit
    )
    return [_out(r) for r in page.items]


@router.get("/{reference}", response=ReferralOut)
def referral(request: HttpRequest, reference: str) -> ReferralOut:
    actor = _allowed(request)
    return _out(referral_get_for_user(actor=actor, reference=reference, request=request))
