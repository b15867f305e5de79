"""Reads of the victim register. Every selector that returns records takes the acting
user and returns only what that user's role and institution may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from thb.accounts.models import User
from thb.audit.models import Action
from thb.audit.services import audit_read, audit_record
from thb.victims.models import Case, CaseStatus
from thb.victims.policy import CasePolicy


def case_list(
    *,
    actor: User,
    year: int | None = None,
    status: str = "",
    form: str = "",
    citizenship: str = "",
) -> QuerySet[Case]:
    scope = CasePolicy.scope(actor)
    if scope is None:
        return Case.objects.none()
    cases = Case.objects.filter(scope).select_related("person", "institution")
    if year:
        cases = cases.filter(Q(intake_date__year=year) | Q(decided_on__year=year))
    if status:
        cases = cases.filter(status=status)
    if form:
        cases = cases.filter(Q(primary_form=form) | Q(primary_form_override=form))
    if citizenship:
        cases = cases.filter(person__citizenship=citizenship)
    return cases.order_by(*CASE_ORDER)


# The case list's order: the newest intake first, the id breaking ties (keyset paging,
# thb/core/paging.py).
CASE_ORDER = ("-intake_date", "-id")


def case_get_for_user(
    *, actor: User, code: str, request: HttpRequest | None = None, purpose: str = "view"
) -> Case:
    """The one way to open a case: 404 for anyone outside its scope; the read is audited."""
    scope = CasePolicy.scope(actor)
    if scope is None:
        raise Http404
    try:
        case = (
            Case.objects.filter(scope)
            .select_related(
                "person", "institution", "proceeding_institution", "referring_institution"
            )
            .get(person__code=code)
        )
    except Case.DoesNotExist:
        raise Http404 from None
    audit_read(actor=actor, target=case, request=request, purpose=purpose, code=code)
    return case


def audit_case_list(
    *, actor: User, cases: list[Case], request: HttpRequest | None = None, purpose: str = "list"
) -> None:
    """A list shows (the API returns) each listed case's profile: one audit event per
    list request names the codes returned (codes only, never identities)."""
    if cases:
        audit_record(
            actor=actor,
            action=Action.READ,
            object_type=Case._meta.label_lower,
            details={"purpose": purpose, "codes": [case.person.code for case in cases]},
            request=request,
        )


@dataclass(frozen=True)
class VictimStatus:
    """The victim status a case holds and the day it was granted: "recognised" (the
    identification decision) or, failing that, "injured_party" (criminal proceedings)."""

    basis: str
    granted_on: date


def case_victim_status(case: Case) -> VictimStatus | None:
    """The one reading of a case's victim status for other apps (the residence track
    opens from it and counts its application deadline from its day); None: no status."""
    if case.status == CaseStatus.RECOGNISED and case.decided_on is not None:
        return VictimStatus("recognised", case.decided_on)
    if case.injured_party_on is not None:
        return VictimStatus("injured_party", case.injured_party_on)
    return None
