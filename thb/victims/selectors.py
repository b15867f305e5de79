"""Reads of the victim register. Every selector that returns records takes the acting
user and returns only what that user's role and institution may see."""

from __future__ import annotations

import contextlib
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from thb.accounts.models import User
from thb.audit.models import Action
from thb.audit.services import audit_read, audit_record
from thb.profiles import get_profile
from thb.victims.models import Case, CaseExploitation, CasePlace, CaseStatus, Sex
from thb.victims.policy import CasePolicy
from thb.victims.rules import exploitation_key


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
    return cases.order_by("-intake_date", "-id")


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


# Statistics: aggregate, never identities. The figure ids are those of the report
# (shared/reference/2020-figures.yaml) and must stay stable.


@dataclass(frozen=True)
class _Row:
    """One case as the statistics need it: plain values, no model instances, so that a
    year of tens of thousands of cases is counted in a few queries and little memory."""

    status: str
    sex: str
    citizenship: str
    age: int | None
    primary_form: str
    recruitment: str
    education: str
    referral: str
    forms: dict[str, str]
    places: list[tuple[str, str]]


def _rows(cases: QuerySet[Case]) -> list[_Row]:
    values = list(
        cases.values_list(
            "pk",
            "status",
            "person__sex",
            "person__citizenship",
            "age_at_identification",
            "primary_form",
            "primary_form_override",
            "recruitment_method",
            "education",
            "referral_channel",
        )
    )
    ids = [v[0] for v in values]
    forms: dict[int, dict[str, str]] = {}
    places: dict[int, list[tuple[str, str]]] = {}
    # Chunked so that the IN list stays within every database's parameter limit.
    for chunk in range(0, len(ids), 5000):
        part = ids[chunk : chunk + 5000]
        for case_id, form, sector in CaseExploitation.objects.filter(case_id__in=part).values_list(
            "case_id", "form", "sector"
        ):
            forms.setdefault(case_id, {})[form] = sector
        for case_id, country, region in CasePlace.objects.filter(case_id__in=part).values_list(
            "case_id", "country", "region"
        ):
            places.setdefault(case_id, []).append((country, region))
    return [
        _Row(
            status=v[1],
            sex=v[2],
            citizenship=v[3] or "unknown",
            age=v[4],
            primary_form=v[6] or v[5] or "unknown",
            recruitment=v[7],
            education=v[8],
            referral=v[9],
            forms=forms.get(v[0], {}),
            places=places.get(v[0], []),
        )
        for v in values
    ]


def _group(row: _Row, age_of_majority: int) -> str:
    """The report's three columns: minors (either sex), adult men, adult women."""
    if row.age is not None and row.age < age_of_majority:
        return "minors"
    if row.sex == Sex.MALE:
        return "men"
    if row.sex == Sex.FEMALE:
        return "women"
    return "sex_unknown"


def victim_statistics(year: int) -> dict[str, int]:
    """Every victims.* figure for the year, computed from the case records."""
    profile = get_profile()
    majority = profile.country.age_of_majority
    counts: Counter[str] = Counter()
    decided = _rows(Case.objects.filter(decided_on__year=year).exclude(status=CaseStatus.POTENTIAL))
    counts["victims.assessed"] = len(decided)
    for row in decided:
        group = _group(row, majority)
        citizenship = row.citizenship
        if row.status == CaseStatus.NOT_RECOGNISED:
            if group == "minors":
                counts["victims.not_recognised.minors"] += 1
            else:
                counts[f"victims.not_recognised.{group}.{citizenship}.{row.primary_form}"] += 1
            continue
        counts["victims.identified"] += 1
        counts[f"victims.identified.{group}"] += 1
        counts[f"victims.citizenship.{citizenship}"] += 1
        counts[f"victims.citizenship.{group}.{citizenship}"] += 1
        counts[f"victims.primary_form.{row.primary_form}"] += 1
        if row.forms:
            counts[f"victims.exploitation.{group}.{exploitation_key(row.forms, profile)}"] += 1
        for country, region in row.places:
            if country == profile.country.code:
                counts[f"victims.place.{country}.{region or 'region_unknown'}"] += 1
            else:
                counts[f"victims.place.{country}"] += 1
        counts[f"victims.recruitment.{row.recruitment}"] += 1
        counts[f"victims.education.{row.education}"] += 1
        counts[f"victims.referral.{row.referral}"] += 1
    counts.setdefault("victims.not_recognised.minors", 0)
    counts.update(_injured_parties(year, profile))
    return dict(counts)


def _injured_parties(year: int, profile: Any) -> Counter[str]:
    """Victims identified in the year or the one before who were recognised as injured
    parties in criminal proceedings during the year (the report's wording)."""
    counts: Counter[str] = Counter()
    rows = _rows(
        Case.objects.filter(
            status=CaseStatus.RECOGNISED,
            decided_on__year__in=[year - 1, year],
            injured_party_on__year=year,
        )
    )
    for row in rows:
        counts["victims.injured_party_in_proceedings"] += 1
        key = exploitation_key(row.forms, profile) if row.forms else "unknown"
        if "." in key:
            form, sector = key.split(".", 1)
            with contextlib.suppress(KeyError):
                sector = profile.sector(sector).report_codes.get("injured_party", sector)
            key = f"{form}.{sector}"
        counts[f"victims.injured_party_in_proceedings.{row.citizenship}.{key}"] += 1
    counts.setdefault("victims.injured_party_in_proceedings", 0)
    return counts
