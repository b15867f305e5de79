"""Fixtures of the returns tests: a Latvian woman identified abroad (a consular report
from the United Kingdom), owned by a service provider, and the consular service."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from thb.accounts.models import Institution, InstitutionKind, Role, User
from thb.victims.models import Case
from thb.victims.services import Identity, Intake, VictimProfile, case_create


@pytest.fixture
def consular(make_institution: Callable[..., Institution]) -> Institution:
    return make_institution("am-konsuli", InstitutionKind.CONSULAR, "Konsulārais departaments")


@pytest.fixture
def consul(make_user: Callable[..., User], consular: Institution) -> User:
    return make_user("konsuls", Role.REPORTER, consular)


@pytest.fixture
def abroad_case(owner: User) -> Case:
    return case_create(
        actor=owner,
        intake=Intake(
            intake_date=date(2020, 6, 1),
            referral_channel="foreign_ministry",
            identified_abroad_in="GB",
            victim=VictimProfile(sex="female", citizenship="LV", age_at_identification=24),
            identity=Identity(given_names="Zelma", surname="Ābeltiņa"),
        ),
    )
