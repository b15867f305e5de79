"""Demo data of record linkage: one woman recorded by Centrs MARTA and, a month later,
by Drošā māja, her names written in Latvian by one and in Cyrillic by the other. The
linkage run proposes the pair to both caseworkers (`marta`, `drosamaja`)."""

from __future__ import annotations

from datetime import date

from thb.core.demo import DemoContext
from thb.linkage.services import linkage_run
from thb.victims.services import (
    ExploitationProfile,
    Identity,
    Intake,
    VictimProfile,
    case_create,
)

PERSON = (
    ("marta", "Natālija", "Kuzņecova", date(2021, 2, 3)),
    ("drosamaja", "Наталья", "Кузнецова", date(2021, 3, 15)),
)
BORN = date(1994, 3, 12)


def load(ctx: DemoContext) -> None:
    for user, given, surname, intake_on in PERSON:
        case_create(
            actor=ctx.users[user],
            intake=Intake(
                intake_date=intake_on,
                referral_channel="self",
                victim=VictimProfile(sex="female", citizenship="LV"),
                identity=Identity(given_names=given, surname=surname, date_of_birth=BORN),
                exploitation=ExploitationProfile(
                    forms=(("sexual", ""),), places=(("DE", ""),), recruitment_method="internet"
                ),
            ),
        )
    report = linkage_run()
    if ctx.stdout is not None:
        ctx.stdout.write(
            f"linkage: {report.pairs_compared} pairs compared, {report.candidates} candidates"
        )
