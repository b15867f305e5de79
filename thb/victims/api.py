"""Victim register API: scoped exactly like the pages; every read of a case audited."""

from __future__ import annotations

from datetime import date
from typing import cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from thb.accounts.models import Institution, User
from thb.core.paging import api_list_page
from thb.core.params import CursorQuery, LimitQuery, YearQuery
from thb.victims.models import Case, country_code
from thb.victims.policy import CasePolicy
from thb.victims.selectors import CASE_ORDER, audit_case_list, case_get_for_user, case_list
from thb.victims.services import (
    IDENTITY_FIELDS,
    ExploitationProfile,
    Identity,
    Intake,
    VictimProfile,
    case_create,
    decision_record,
)

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
    vulnerabilities: list[str]
    recruitment_method: str
    recruitment_platform: str
    migration_route: str
    transit: list[str]


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
        vulnerabilities=[v.factor for v in case.vulnerabilities.all()],
        recruitment_method=case.recruitment_method,
        recruitment_platform=case.recruitment_platform,
        migration_route=case.migration_route,
        transit=[country_code(t.country) for t in case.transits.all()],
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
    ).prefetch_related("forms", "places", "vulnerabilities", "transits")
    page = api_list_page(request, response, cases, order=CASE_ORDER, cursor=cursor, limit=limit)
    audit_case_list(actor=user, cases=page.items, request=request, purpose="api_list")
    return [_out(c) for c in page.items]


@router.get("/{code}", response=CaseOut, summary="One case (the read is audited)")
def get_case(request: HttpRequest, code: str) -> CaseOut:
    case = case_get_for_user(actor=request.user, code=code, request=request, purpose="api")  # type: ignore[arg-type]
    return _out(case)


# Writes: the same services, so the same rules, as the intake and decision forms and the
# victim-case import (thb.victims.services.intake_check and decision_check). A refused
# value answers 422 {"detail": {field: [message]}}; nothing is saved.


class IntakeIn(Schema):
    intake_date: date
    referral_channel: str = Field(max_length=40)
    referring_institution: str = Field(default="", max_length=40, description="Its code.")
    external_id: str = Field(default="", max_length=80)
    sex: str = Field(default="unknown", max_length=20)
    citizenship: str = Field(default="", max_length=2, description="ISO 3166 alpha-2.")
    age_at_identification: int | None = None
    education: str = Field(default="unknown", max_length=40)
    vulnerabilities: list[str] = Field(
        default_factory=list, description="Vulnerability factors (profile codes)."
    )
    given_names: str = ""
    surname: str = ""
    personal_code: str = ""
    date_of_birth: date | None = None
    phone: str = ""
    email: str = ""
    address: str = ""
    forms: list[str] = Field(
        default_factory=list, description='Forms of exploitation: "form" or "form.sector".'
    )
    places: list[str] = Field(default_factory=list, description='"LV" or "LV.region".')
    recruitment_method: str = Field(default="unknown", max_length=40)
    recruitment_platform: str = Field(default="", max_length=40, description="Profile code.")
    migration_route: str = Field(
        default="", max_length=40, description="Visa or posting route (profile code)."
    )
    transit: list[str] = Field(
        default_factory=list, description="Transit countries in the route's order (ISO codes)."
    )
    exploitation_start: date | None = None
    exploitation_end: date | None = None
    screening_notes: str = ""
    identified_abroad_in: str = Field(
        default="", max_length=2, description="ISO 3166 alpha-2: identified abroad in."
    )


class CreatedOut(Schema):
    code: str


def _pairs(values: list[str]) -> list[tuple[str, str]]:
    return [(head, tail) for head, _dot, tail in (value.partition(".") for value in values)]


def _institution(code: str) -> Institution | None:
    if not code:
        return None
    institution = Institution.objects.filter(code=code, active=True).first()
    if institution is None:
        raise ValidationError({"referring_institution": _("Unknown institution.")})
    return institution


@router.post("/", response={201: CreatedOut}, summary="Record an intake")
def create_case(request: HttpRequest, payload: IntakeIn) -> Status[CreatedOut]:
    user = cast(User, request.user)
    if not CasePolicy.can_create(user):
        raise PermissionDenied
    data = payload.dict()
    intake = Intake(
        intake_date=data["intake_date"],
        referral_channel=data["referral_channel"],
        referring_institution=_institution(data["referring_institution"]),
        external_id=data["external_id"],
        identified_abroad_in=data["identified_abroad_in"],
        victim=VictimProfile(
            sex=data["sex"],
            citizenship=data["citizenship"],
            age_at_identification=data["age_at_identification"],
            education=data["education"],
            vulnerabilities=data["vulnerabilities"],
        ),
        identity=Identity(**{name: data[name] for name in IDENTITY_FIELDS}),
        exploitation=ExploitationProfile(
            forms=_pairs(data["forms"]),
            places=_pairs(data["places"]),
            recruitment_method=data["recruitment_method"],
            recruitment_platform=data["recruitment_platform"],
            migration_route=data["migration_route"],
            transit=[code.upper() for code in data["transit"]],
            exploitation_start=data["exploitation_start"],
            exploitation_end=data["exploitation_end"],
        ),
        screening_notes=data["screening_notes"],
    )
    case = case_create(actor=user, intake=intake)
    return Status(201, CreatedOut(code=case.person.code))


class DecisionIn(Schema):
    kind: str = Field(max_length=40)
    decided_on: date
    recognised: bool
    criteria_met: list[str] = Field(default_factory=list)
    reasons: str = ""
    members: str = Field(default="", description="One member a line.")
    proceeding_reference: str = ""


@router.post("/{code}/decisions", response={201: CreatedOut}, summary="Record a decision")
def create_decision(request: HttpRequest, code: str, payload: DecisionIn) -> Status[CreatedOut]:
    user = cast(User, request.user)
    case = case_get_for_user(actor=user, code=code, request=request, purpose="decision")
    if not CasePolicy(user, case).decision_kinds:
        raise PermissionDenied
    decision_record(actor=user, case=case, **payload.dict())
    return Status(201, CreatedOut(code=case.person.code))
