"""Builders for victim-register tests, going through the services."""

from __future__ import annotations

from datetime import date

from thb.accounts.models import User
from thb.victims.models import Case
from thb.victims.services import (
    ExploitationProfile,
    Identity,
    Intake,
    VictimProfile,
    case_create,
)


def make_case(
    actor: User,
    *,
    intake_date: date = date(2020, 3, 2),
    sex: str = "female",
    citizenship: str = "LV",
    age: int | None = 30,
    forms: tuple[tuple[str, str], ...] = (("sexual", ""),),
    places: tuple[tuple[str, str], ...] = (("LV", "riga"),),
    given_names: str = "Dzintra",
    surname: str = "Paraugvārde",
) -> Case:
    return case_create(
        actor=actor,
        intake=Intake(
            intake_date=intake_date,
            referral_channel="self",
            victim=VictimProfile(
                sex=sex, citizenship=citizenship, age_at_identification=age, education="secondary"
            ),
            identity=Identity(given_names=given_names, surname=surname, phone="+371 20000000"),
            exploitation=ExploitationProfile(
                forms=forms, places=places, recruitment_method="acquaintance"
            ),
        ),
    )
