"""Referral fixtures: a State Police officer who refers, Centrs MARTA's caseworker
(`owner`) who receives, Drošā māja's caseworker (`colleague`) who must not see it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from thb.accounts.models import Institution, Role, User
from thb.referrals.models import Referral
from thb.referrals.rules import local_date
from thb.referrals.services import ReferralDetails, ReferredPerson, referral_send


@pytest.fixture
def officer(make_user: Callable[..., User], police: Institution) -> User:
    return make_user("officer", Role.PROCESS_DIRECTOR, police)


@pytest.fixture
def person() -> ReferredPerson:
    return ReferredPerson(
        given_names="Anna",
        surname="Bērziņa",
        date_of_birth=timezone.localdate().replace(year=timezone.localdate().year - 30, day=1),
        phone="+371 29999999",
        sex="female",
        citizenship="LV",
    )


@pytest.fixture
def send(officer: User, provider: Institution, person: ReferredPerson) -> Callable[..., Referral]:
    def make(days_ago: int = 0, urgency: str = "routine", **overrides: Any) -> Referral:
        sent_at = timezone.now() - timedelta(days=days_ago)
        details = ReferralDetails(
            provider=overrides.pop("to", provider),
            consent=overrides.pop("consent", "given"),
            consent_on=local_date(sent_at),
            urgency=urgency,
            language="lv",
            contact_arrangement="via_officer",
            observations="Passport kept by the employer.",
            suspected_forms=["labour"],
        )
        return referral_send(
            actor=overrides.pop("actor", officer),
            person=overrides.pop("person", person),
            details=details,
            sent_at=sent_at,
        )

    return make
