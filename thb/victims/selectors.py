"""Reads of the victim register. Every selector that returns records takes the acting
user and returns only what that user's role and institution may see."""

from __future__ import annotations

import contextlib
from collections import Counter
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest

from thb.accounts.models import Role, User
from thb.audit.services import audit_read
from thb.profiles import get_profile
from thb.victims.models import Case, CaseExploitation, CasePlace, CaseStatus, Sex
from thb.victims.rules import exploitation_key


def _scope(actor: User) -> Q | None:
    """The cases the actor may see, or None for none at all."""
    if not actor.is_active or actor.institution_id is None:
        return None
    if actor.role == Role.CASEWORKER:
        return Q(institution_id=actor.institution_id)
    if actor.role == Role.COMMISSION_MEMBER:
        return Q(institution_id=actor.institution_id, submitted_to_commission_on__isnull=False)
    if actor.role == Role.PROCESS_DIRECTOR:
        return Q(proceeding_institution_id=actor.institution_id)
    # Coordinators, auditors, reporters and administrators never see victims' records.
    return None


def can_see_cases(actor: User) -> bool:
    return _scope(actor) is not None


def case_list(
    *,
    actor: User,
    year: int | None = None,
    status: str = "",
    form: str = "",
    citizenship: str = "",
) -> QuerySet[Case]:
    scope = _scope(actor)
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
    scope = _scope(actor)
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


def case_identity(*, actor: User, case: Case, request: HttpRequest | None = None) -> Any:
    """The identifying fields, for those who work with the person directly: the owning
    institution's caseworkers and the process director of the proceeding."""
    allowed = (actor.role == Role.CASEWORKER and actor.institution_id == case.institution_id) or (
        actor.role == Role.PROCESS_DIRECTOR
        and actor.institution_id == case.proceeding_institution_id
    )
    if not allowed:
        return None
    identity = getattr(case.person, "identity", None)
    if identity is not None:
        audit_read(
            actor=actor, target=identity, request=request, purpose="identity", code=case.person.code
        )
    return identity


# Statistics: aggregate, never identities. The figure ids are those of the report
# (shared/reference/2020-figures.yaml) and must stay stable.


def _decided_in(year: int) -> QuerySet[Case]:
    return (
        Case.objects.filter(decided_on__year=year)
        .exclude(status=CaseStatus.POTENTIAL)
        .select_related("person")
        .prefetch_related(
            Prefetch("forms", queryset=CaseExploitation.objects.all()),
            Prefetch("places", queryset=CasePlace.objects.all()),
        )
    )


def _group(case: Case) -> str:
    """The report's three columns: minors (either sex), adult men, adult women."""
    if case.is_minor:
        return "minors"
    if case.person.sex == Sex.MALE:
        return "men"
    if case.person.sex == Sex.FEMALE:
        return "women"
    return "sex_unknown"


def victim_statistics(year: int) -> dict[str, int]:
    """Every victims.* figure for the year, computed from the case records."""
    profile = get_profile()
    counts: Counter[str] = Counter()
    decided = list(_decided_in(year))
    counts["victims.assessed"] = len(decided)
    for case in decided:
        forms = {f.form: f.sector for f in case.forms.all()}
        group = _group(case)
        citizenship = case.person.citizenship.code or "unknown"
        if case.status == CaseStatus.NOT_RECOGNISED:
            headline = case.effective_primary_form or "unknown"
            if group == "minors":
                counts["victims.not_recognised.minors"] += 1
            else:
                counts[f"victims.not_recognised.{group}.{citizenship}.{headline}"] += 1
            continue
        counts["victims.identified"] += 1
        counts[f"victims.identified.{group}"] += 1
        counts[f"victims.citizenship.{citizenship}"] += 1
        counts[f"victims.citizenship.{group}.{citizenship}"] += 1
        counts[f"victims.primary_form.{case.effective_primary_form or 'unknown'}"] += 1
        if forms:
            counts[f"victims.exploitation.{group}.{exploitation_key(forms, profile)}"] += 1
        for place in case.places.all():
            if place.country.code == profile.country.code:
                region = place.region or "region_unknown"
                counts[f"victims.place.{place.country.code}.{region}"] += 1
            else:
                counts[f"victims.place.{place.country.code}"] += 1
        counts[f"victims.recruitment.{case.recruitment_method}"] += 1
        counts[f"victims.education.{case.education}"] += 1
        counts[f"victims.referral.{case.referral_channel}"] += 1
    counts.setdefault("victims.not_recognised.minors", 0)
    counts.update(_injured_parties(year, profile))
    return dict(counts)


def _injured_parties(year: int, profile: Any) -> Counter[str]:
    """Victims identified in the year or the one before who were recognised as injured
    parties in criminal proceedings during the year (the report's wording)."""
    counts: Counter[str] = Counter()
    cases = (
        Case.objects.filter(
            status=CaseStatus.RECOGNISED,
            decided_on__year__in=[year - 1, year],
            injured_party_on__year=year,
        )
        .select_related("person")
        .prefetch_related("forms")
    )
    for case in cases:
        counts["victims.injured_party_in_proceedings"] += 1
        forms = {f.form: f.sector for f in case.forms.all()}
        key = exploitation_key(forms, profile) if forms else "unknown"
        if "." in key:
            form, sector = key.split(".", 1)
            with contextlib.suppress(KeyError):
                sector = profile.sector(sector).report_codes.get("injured_party", sector)
            key = f"{form}.{sector}"
        citizenship = case.person.citizenship.code or "unknown"
        counts[f"victims.injured_party_in_proceedings.{citizenship}.{key}"] += 1
    counts.setdefault("victims.injured_party_in_proceedings", 0)
    return counts
