"""Victim register API: scoped exactly like the pages; every read of a case audited."""

from __future__ import annotations

from datetime import date
from typing import cast

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema
from ninja.errors import HttpError

from thb.accounts.models import User
from thb.core.paging import api_page, keyset_page, set_page_headers
from thb.core.params import CursorQuery, LimitQuery, YearQuery
from thb.victims.models import Case, country_code
from thb.victims.policy import CasePolicy
from thb.victims.selectors import CASE_ORDER, audit_case_list, case_get_for_user, case_list

router = Router(tags=["cases"])


class CaseOut(Schema):
    code: str
    institution: str
    status: str
    intake_date: date
    decided_on: date | None
    referral_channel: str
    sex: str
    citizenship: str
    age_at_identification: int | None
    primary_form: str
    forms: list[str]
    places: list[str]


def _out(case: Case) -> CaseOut:
    return CaseOut(
        code=case.person.code,
        institution=case.institution.code,
        status=case.status,
        intake_date=case.intake_date,
        decided_on=case.decided_on,
        referral_channel=case.referral_channel,
        sex=case.person.sex,
        citizenship=country_code(case.person.citizenship),
        age_at_identification=case.age_at_identification,
        primary_form=case.effective_primary_form,
        forms=[f"{f.form}.{f.sector}" if f.sector else f.form for f in case.forms.all()],
        places=[
            f"{country_code(p.country)}.{p.region}" if p.region else country_code(p.country)
            for p in case.places.all()
        ],
    )


@router.get("/", response=list[CaseOut], summary="Cases the caller may see")
def list_cases(
    request: HttpRequest,
    response: HttpResponse,
    year: YearQuery = None,
    status: str = "",
    form: str = "",
    citizenship: str = "",
    cursor: CursorQuery = None,
    limit: LimitQuery = None,
) -> list[CaseOut]:
    """The newest intake first, a page at a time: the next page's cursor is in the
    `X-Next-Cursor` and `Link` (rel="next") headers."""
    user = cast(User, request.user)
    if not CasePolicy.can_list(user):
        raise HttpError(403, "Your role may not read this.")
    cases = case_list(
        actor=user,
        year=year,
        status=status,
        form=form,
        citizenship=citizenship,
    ).prefetch_related("forms", "places")
    page = api_page(keyset_page, queryset=cases, order=CASE_ORDER, cursor=cursor, size=limit)
    audit_case_list(actor=user, cases=page.items, request=request, purpose="api_list")
    set_page_headers(request, response, page)
    return [_out(c) for c in page.items]


@router.get("/{code}", response=CaseOut, summary="One case (the read is audited)")
def get_case(request: HttpRequest, code: str) -> CaseOut:
    case = case_get_for_user(actor=request.user, code=code, request=request, purpose="api")  # type: ignore[arg-type]
    return _out(case)
