"""Demo referrals and anonymous notifications, dated relative to today so that the
deadline list always has something to show: one referral from the State Police to
Centrs MARTA waiting past its acknowledgement deadline, one from the State Border
Guard accepted by Drošā māja (its intake became a case), one from the consular
service declined by Centrs MARTA with the reason, one from the Labour Inspectorate
just sent to Drošā māja and an urgent one from the State Police just sent to Centrs
MARTA (so both providers' caseworkers have a deadline due this week, besides the
overdue ones, without a record that would make this year the statistics' latest:
thb/residence/demo.py), and anonymous notifications of adults who did not consent.
Everything goes through the services; the names are invented."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from thb.core.demo import DemoContext
from thb.referrals.rules import local_date
from thb.referrals.services import (
    NotificationDetails,
    ReferralDetails,
    ReferredPerson,
    notification_send,
    referral_accept,
    referral_decline,
    referral_send,
)
from thb.screening.services import ScreeningInput
from thb.victims.services import ExploitationProfile, Intake, VictimProfile

# What the border guard saw: sufficient for labour exploitation by the ILO/EC rule.
BORDER_SCREENING = [
    "dr.nature_of_job_location_or_employer",
    "dr.wages_earnings",
    "ex.excessive_working_days_or_hours",
    "ex.low_or_no_salary",
    "cd.confiscation_of_documents",
    "cd.debt_bondage",
]


def load(ctx: DemoContext) -> None:
    now = timezone.now()
    users, places = ctx.users, ctx.institutions

    def details(provider: str, consent_days_ago: int, **kwargs: object) -> ReferralDetails:
        return ReferralDetails(
            provider=places[provider],
            consent="given",
            consent_on=local_date(now - timedelta(days=consent_days_ago)),
            **kwargs,  # type: ignore[arg-type]
        )

    # Waiting past its deadline (routine: one working day).
    referral_send(
        actor=users["policija"],
        person=ReferredPerson(
            given_names="Ieva", surname="Demo-Kalēja", sex="female", citizenship="LV", age=24
        ),
        details=details(
            "marta",
            8,
            urgency="routine",
            language="lv",
            contact_arrangement="via_officer",
            observations="Debt bondage to a flat owner; documents kept by him.",
            suspected_forms=["sexual"],
        ),
        sent_at=now - timedelta(days=8),
    )
    # Accepted: the intake became Drošā māja's case.
    accepted = referral_send(
        actor=users["robezsardze"],
        person=ReferredPerson(
            given_names="Rustam",
            surname="Demo-Saidov",
            sex="male",
            citizenship="TJ",
            age=31,
            phone="+371 20000000",
        ),
        details=details(
            "drosa-maja",
            12,
            urgency="urgent",
            language="tg",
            interpreter_needed=True,
            contact_arrangement="escorted",
            observations="Stopped at the border with a forged work contract; wages never paid.",
            suspected_forms=["labour"],
            screening=ScreeningInput(
                list_key="adult_labour",
                indicators=BORDER_SCREENING,
                notes="Passport held by the site foreman; 14-hour days, no pay for three months.",
                screened_on=local_date(now - timedelta(days=12)),
            ),
        ),
        sent_at=now - timedelta(days=12),
    )
    referral_accept(
        actor=users["drosamaja"],
        referral=accepted,
        intake=Intake(
            intake_date=local_date(now - timedelta(days=11)),
            referral_channel="",
            victim=VictimProfile(sex="male", citizenship="TJ", age_at_identification=31),
            exploitation=ExploitationProfile(forms=[("labour", "construction")]),
            screening_notes="Stopped at the border with a forged work contract; wages never paid.",
        ),
        at=now - timedelta(days=11),
    )
    # Declined with the reason.
    declined = referral_send(
        actor=users["konsuli"],
        person=ReferredPerson(given_names="Laura", surname="Demo-Ozola", sex="female", age=29),
        details=details(
            "marta",
            20,
            urgency="routine",
            language="lv",
            contact_arrangement="person_directly",
            suspected_forms=["forced_sham_marriage"],
        ),
        sent_at=now - timedelta(days=20),
    )
    referral_decline(
        actor=users["marta"],
        referral=declined,
        reason="person_unreachable",
        note="Three calls and a letter went unanswered.",
        at=now - timedelta(days=19),
    )
    # Just sent, within its deadline.
    referral_send(
        actor=users["vdi"],
        person=ReferredPerson(
            given_names="Aziz", surname="Demo-Yusupov", sex="male", citizenship="UZ", age=27
        ),
        details=details(
            "drosa-maja",
            0,
            urgency="routine",
            language="uz",
            interpreter_needed=True,
            contact_arrangement="at_institution",
            suspected_forms=["labour"],
        ),
        sent_at=now,
    )
    # Just sent, urgent: due tomorrow.
    referral_send(
        actor=users["policija"],
        person=ReferredPerson(
            given_names="Marija", surname="Demo-Bērziņa", sex="female", citizenship="LV", age=19
        ),
        details=details(
            "marta",
            0,
            urgency="urgent",
            language="lv",
            contact_arrangement="via_officer",
            suspected_forms=["sexual"],
        ),
        sent_at=now,
    )
    # Adults who did not consent: anonymous notifications, no identity.
    for actor, days_ago, sex, age_group, citizenship, forms in (
        ("vdi", 30, "male", "25_34", "UZ", ["labour"]),
        ("vdi", 30, "male", "35_44", "UZ", ["labour"]),
        ("robezsardze", 45, "female", "18_24", "UA", ["sexual"]),
        ("rigas-sd", 15, "female", "unknown", "LV", ["forced_sham_marriage"]),
    ):
        notification_send(
            actor=users[actor],
            details=NotificationDetails(
                notified_on=local_date(now - timedelta(days=days_ago)),
                sex=sex,
                age_group=age_group,
                citizenship=citizenship,
                suspected_forms=forms,
                screening=ScreeningInput(
                    list_key="adult_labour",
                    indicators=["ex.low_or_no_salary", "cd.confiscation_of_documents"],
                    screened_on=local_date(now - timedelta(days=days_ago)),
                )
                if forms == ["labour"]
                else None,
            ),
        )
