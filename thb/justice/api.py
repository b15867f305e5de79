"""Criminal proceedings API: list and detail, scoped like the pages (own institution's
proceedings; the coordinator all, with injured parties as counts only)."""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Router, Schema

from thb.accounts.models import User
from thb.core.paging import api_list_page
from thb.core.params import CursorQuery, LimitQuery, YearQuery
from thb.justice import policy, selectors
from thb.justice.models import Proceeding
from thb.justice.policy import can_use_justice
from thb.victims.models import country_code

router = Router(tags=["justice"])


class ProceedingOut(Schema):
    id: int
    number: str
    sections: list[str]
    institution: str
    started_on: date
    exploitation_form: str
    sector: str


class InjuredPartyOut(Schema):
    case_code: str | None
    recognised_on: date
    sex: str
    minor: bool
    citizenship: str


class SuspectOut(Schema):
    id: int
    label: str
    sex: str
    minor: bool
    citizenship: str
    suspected_on: date
    accused_on: date | None


class StageOut(Schema):
    kind: str
    on: date
    institution: str
    persons: list[int]


class JudgmentPersonOut(Schema):
    level: str
    delivered_on: date
    person: int
    outcome: str
    section: str
    deprivation_months: int | None
    deprivation_conditional: bool
    probation_months: int | None
    fine_eur: float | None


class PropertyArrestOut(Schema):
    kind: str
    arrested_on: date
    value_eur: float


class ProceedingDetailOut(ProceedingOut):
    injured_parties_total: int
    injured_parties: list[InjuredPartyOut]
    suspects: list[SuspectOut]
    property_arrests: list[PropertyArrestOut]
    stages: list[StageOut]
    judgments: list[JudgmentPersonOut]


def _actor(request: HttpRequest) -> User:
    user: User = request.auth  # type: ignore[attr-defined]
    if not can_use_justice(user):
        raise Http404
    return user


def _summary(p: Proceeding) -> dict[str, object]:
    return {
        "id": p.pk,
        "number": p.number,
        "sections": p.section_codes,
        "institution": p.institution.code,
        "started_on": p.started_on,
        "exploitation_form": p.exploitation_form,
        "sector": p.sector,
    }


@router.get("/proceedings", response=list[ProceedingOut])
def list_proceedings(
    request: HttpRequest,
    response: HttpResponse,
    year: YearQuery = None,
    section: str = "",
    institution: str = "",
    cursor: CursorQuery = None,
    limit: LimitQuery = None,
) -> list[dict[str, object]]:
    """The latest started first, a page at a time: the next page's cursor is in the
    `X-Next-Cursor` and `Link` (rel="next") headers."""
    actor = _actor(request)
    proceedings = selectors.proceeding_list(
        actor=actor, year=year, section=section, institution=institution
    )
    page = api_list_page(
        request, response, proceedings, order=selectors.PROCEEDING_ORDER, cursor=cursor, limit=limit
    )
    return [_summary(p) for p in page.items]


@router.get("/proceedings/{pk}", response=ProceedingDetailOut)
def get_proceeding(request: HttpRequest, pk: int) -> dict[str, object]:
    actor = _actor(request)
    p = selectors.proceeding_get_for_user(actor=actor, pk=pk, request=request, purpose="api")
    parties = selectors.injured_parties_for_user(actor=actor, proceeding=p, request=request)
    show_codes = policy.shows_victim_codes(actor)
    return {
        **_summary(p),
        "injured_parties_total": len(parties),
        # The coordinator gets the count only: no codes, no rows.
        "injured_parties": [
            {
                "case_code": party.case.person.code if party.case else None,
                "recognised_on": party.recognised_on,
                "sex": party.sex,
                "minor": party.minor,
                "citizenship": country_code(party.citizenship),
            }
            for party in parties
        ]
        if show_codes
        else [],
        "suspects": [
            {
                "id": s.pk,
                "label": s.label,
                "sex": s.sex,
                "minor": s.minor,
                "citizenship": country_code(s.citizenship),
                "suspected_on": s.suspected_on,
                "accused_on": s.accused_on,
            }
            for s in p.suspects.all()
        ],
        "property_arrests": [
            {"kind": a.kind, "arrested_on": a.arrested_on, "value_eur": float(a.value_eur)}
            for a in p.property_arrests.all()
        ],
        "stages": [
            {
                "kind": e.kind,
                "on": e.on,
                "institution": e.institution.code,
                "persons": [person.pk for person in e.persons.all()],
            }
            for e in p.stages.all()
        ],
        "judgments": [
            {
                "level": j.level,
                "delivered_on": j.delivered_on,
                "person": row.suspect_id,
                "outcome": row.outcome,
                "section": row.section,
                "deprivation_months": row.deprivation_months,
                "deprivation_conditional": row.deprivation_conditional,
                "probation_months": row.probation_months,
                "fine_eur": float(row.fine_eur) if row.fine_eur is not None else None,
            }
            for j in p.judgments.all()
            for row in j.persons.all()
        ],
    }
