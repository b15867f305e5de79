"""Reads of the review queue, shaped for one side: what the actor's institution may
know of a candidate pair (its own case, the score, which fields matched, the other
institution's name) and nothing of the other side's case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _

from thb.accounts.models import Institution, User
from thb.audit.services import audit_read
from thb.linkage import policy
from thb.linkage.models import CandidateStatus, LinkCandidate

# What matched, by the engine's level codes (thb/linkage/engine.py).
MATCHED_LABELS = {
    "surname": _("surname, as written"),
    "surname_folded": _("surname, the same after transliteration"),
    "surname_phonetic": _("surname, sounds alike"),
    "surname_typo": _("surname, one letter apart"),
    "surname_partial": _("surname, the same first letters"),
    "given": _("given names, as written"),
    "given_folded": _("given names, the same after transliteration"),
    "given_phonetic": _("given names, sound alike"),
    "given_typo": _("given names, one letter apart"),
    "given_partial": _("given names, the same first letters"),
    "birth_date": _("date of birth"),
    "birth_month": _("year and month of birth"),
    "personal_code": _("personal code"),
}


@dataclass(frozen=True)
class SideView:
    """One candidate pair as one side sees it."""

    pk: int
    score: float
    matched: list[str]
    matched_labels: list[str]
    status: str
    status_label: str
    other_institution: Institution
    own_case_code: str
    own_confirmed: bool
    other_confirmed: bool
    can_confirm: bool
    can_reject: bool
    found_at: datetime


def _queryset(actor: User) -> QuerySet[LinkCandidate]:
    scope = policy.scope(actor)
    if scope is None:
        return LinkCandidate.objects.none()
    return LinkCandidate.objects.filter(scope).select_related(
        "case_a__person", "case_b__person", "case_a__institution", "case_b__institution"
    )


def side_view(actor: User, candidate: LinkCandidate) -> SideView:
    rights = policy.LinkagePolicy(actor, candidate)
    if rights.side is None:
        raise Http404
    own, other = (
        (candidate.case_a, candidate.case_b)
        if rights.side == "a"
        else (candidate.case_b, candidate.case_a)
    )
    return SideView(
        pk=candidate.pk,
        score=candidate.score,
        matched=list(candidate.matched),
        matched_labels=[str(MATCHED_LABELS.get(code, code)) for code in candidate.matched],
        status=candidate.status,
        status_label=str(CandidateStatus(candidate.status).label),
        other_institution=other.institution,
        own_case_code=own.person.code,
        own_confirmed=rights.confirmed_by_own_side,
        other_confirmed=rights.confirmed_by_other_side,
        can_confirm=rights.can_confirm,
        can_reject=rights.can_reject,
        found_at=candidate.found_at,
    )


# The queue's order: the likeliest pairs first, ending in the primary key (keyset paging).
CANDIDATE_ORDER = ("-score", "id")


def candidate_list(*, actor: User, status: str = CandidateStatus.OPEN) -> QuerySet[LinkCandidate]:
    """The pairs in the actor's queue (open ones by default), in CANDIDATE_ORDER; a
    page of them is shown with `side_view`."""
    queryset = _queryset(actor)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by(*CANDIDATE_ORDER)


def candidate_get_for_user(
    *, actor: User, pk: int, request: HttpRequest | None = None, purpose: str = "view"
) -> LinkCandidate:
    """The one way to open a pair: 404 outside the actor's scope; the read is audited
    (naming the actor's own case, the only case it shows)."""
    try:
        candidate = _queryset(actor).get(pk=pk)
    except LinkCandidate.DoesNotExist:
        raise Http404 from None
    view = side_view(actor, candidate)
    audit_read(
        actor=actor,
        target=candidate,
        request=request,
        purpose=purpose,
        number=candidate.pk,
        code=view.own_case_code,
    )
    return candidate
