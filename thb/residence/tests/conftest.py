"""Fixtures of the residence tests: a recognised Tajik victim owned by a service
provider, in a State Police proceeding, and the people who act on the track."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from thb.accounts.models import Institution, InstitutionKind, Role, User
from thb.victims.models import Case, CaseStatus, Person, Sex


@pytest.fixture
def pmlp(make_institution: Callable[..., Institution]) -> Institution:
    return make_institution("pmlp", InstitutionKind.MIGRATION_OFFICE, "PMLP")


@pytest.fixture
def director(make_user: Callable[..., User], police: Institution) -> User:
    return make_user("director", Role.PROCESS_DIRECTOR, police)


@pytest.fixture
def other_director(
    make_user: Callable[..., User], make_institution: Callable[..., Institution]
) -> User:
    return make_user(
        "prosecutor", Role.PROCESS_DIRECTOR, make_institution("prok", InstitutionKind.PROSECUTOR)
    )


@pytest.fixture
def migration_officer(make_user: Callable[..., User], pmlp: Institution) -> User:
    return make_user("pmlp-officer", Role.REPORTER, pmlp)


@pytest.fixture
def make_case(provider: Institution, police: Institution) -> Callable[..., Case]:
    def make(
        code: str = "TJ0001",
        citizenship: str = "TJ",
        decided_on: date | None = date(2020, 10, 2),
        injured_party_on: date | None = None,
        proceeding: Institution | None = None,
    ) -> Case:
        person = Person.objects.create(code=code, sex=Sex.MALE, citizenship=citizenship)
        return Case.objects.create(
            person=person,
            institution=provider,
            status=CaseStatus.RECOGNISED if decided_on else CaseStatus.POTENTIAL,
            decided_on=decided_on,
            intake_date=date(2020, 9, 1),
            referral_channel="state_police",
            proceeding_institution=proceeding or police,
            proceeding_reference="11816000123",
            injured_party_on=injured_party_on,
            age_at_identification=30,
        )

    return make


@pytest.fixture
def case(make_case: Callable[..., Case]) -> Case:
    return make_case()
