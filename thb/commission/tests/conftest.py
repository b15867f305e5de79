"""The commission's personas: MARTA's caseworker (the provider) and commission members
(two of MARTA's, one of the State Police, who sits on every provider's commission),
Drošā māja's member (another provider's commission) and caseworker."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from thb.accounts.models import Institution, Role, User
from thb.victims.models import Case
from thb.victims.services import ExploitationProfile, Identity, Intake, VictimProfile, case_create


@pytest.fixture
def chair(make_user: Callable[..., User], provider: Institution) -> User:
    user = make_user("chair", Role.COMMISSION_MEMBER, provider)
    user.first_name, user.last_name = "Anna", "Vadītāja"
    user.save(update_fields=["first_name", "last_name"])
    return user


@pytest.fixture
def psychologist(make_user: Callable[..., User], provider: Institution) -> User:
    return make_user("psychologist", Role.COMMISSION_MEMBER, provider)


@pytest.fixture
def police_member(make_user: Callable[..., User], police: Institution) -> User:
    return make_user("police_member", Role.COMMISSION_MEMBER, police)


@pytest.fixture
def other_member(make_user: Callable[..., User], other_provider: Institution) -> User:
    return make_user("other_member", Role.COMMISSION_MEMBER, other_provider)


@pytest.fixture
def make_case() -> Callable[..., Case]:
    def make(actor: User, *, intake_date: date = date(2020, 3, 2), surname: str = "Ozola") -> Case:
        return case_create(
            actor=actor,
            intake=Intake(
                intake_date=intake_date,
                referral_channel="self",
                victim=VictimProfile(sex="female", citizenship="LV", age_at_identification=27),
                identity=Identity(
                    given_names="Laura", surname=surname, personal_code="", phone="+371 20000000"
                ),
                exploitation=ExploitationProfile(
                    forms=(("sexual", ""),), places=(("DE", ""),), recruitment_method="internet"
                ),
            ),
        )

    return make


@pytest.fixture
def submitted(owner: User, make_case: Callable[..., Case]) -> Any:
    from thb.commission.services import submission_create

    case = make_case(owner)
    return submission_create(
        actor=owner,
        case=case,
        submitted_on=date(2020, 3, 10),
        summary="Recruited online for a job abroad, exploited sexually.",
    )
