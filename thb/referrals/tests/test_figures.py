"""The referral figures: anonymous notifications (presumed victims who did not enter
the mechanism) and referral outcomes, computed through the catalogue in SQL."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from thb.accounts.models import InstitutionKind, Role
from thb.profiles import get_profile
from thb.referrals.services import (
    NotificationDetails,
    notification_send,
    referral_acknowledge,
    referral_decline,
)
from thb.reports.catalogue import check_catalogue, compute_figures

pytestmark = pytest.mark.django_db


def test_the_catalogue_knows_the_referral_measures():
    assert check_catalogue() == []


def test_anonymous_notifications_are_counted_by_sex_and_institution(
    officer, make_user, make_institution
):
    inspector = make_user(
        "inspector", Role.REPORTER, make_institution("vdi", InstitutionKind.LABOUR_INSPECTORATE)
    )
    for actor, sex in ((officer, "female"), (inspector, "male"), (inspector, "male")):
        notification_send(
            actor=actor,
            details=NotificationDetails(notified_on=date(2025, 3, 1), sex=sex, age_group="25_34"),
        )
    notification_send(  # another year
        actor=officer, details=NotificationDetails(notified_on=date(2024, 3, 1), sex="male")
    )
    figures = compute_figures(2025)
    assert figures["referrals.anonymous"] == 3
    assert figures["referrals.anonymous.women"] == 1
    assert figures["referrals.anonymous.men"] == 2
    assert figures["referrals.anonymous.men.labour_inspectorate"] == 2
    assert figures["referrals.anonymous.state_police"] == 1
    assert figures["referrals.anonymous.men.state_police"] == 0
    assert compute_figures(2024)["referrals.anonymous"] == 1


def test_referral_outcomes_and_acknowledgement(send, owner):
    year = timezone.localdate().year
    send()  # open, not acknowledged
    late = send(days_ago=10)
    referral_acknowledge(actor=owner, referral=late)
    declined = send()
    referral_decline(actor=owner, referral=declined, reason="no_capacity")
    figures = compute_figures(year)
    if late.sent_on.year != year:  # the first days of January: the late one is last year's
        pytest.skip("a referral of the test fell in the previous year")
    assert figures["referrals.sent"] == 3
    assert figures["referrals.open"] == 2 and figures["referrals.declined"] == 1
    assert figures["referrals.accepted"] == 0
    assert figures["referrals.acknowledged_late"] == 1
    assert figures["referrals.acknowledged_in_time"] == 1
    assert figures["referrals.not_acknowledged"] == 1


def test_the_report_layout_shows_the_notifications_in_the_victims_chapter():
    chapter = get_profile().chapter("victims")
    tables = [block.table.id for block in chapter.blocks if block.table]
    assert "referrals_anonymous" in tables
    assert tables.index("referrals_anonymous") == tables.index("victims_by_referral") + 1


def test_every_referring_kind_is_an_institution_kind_and_has_a_channel():
    profile = get_profile()
    for kind in profile.referral.referring_kinds:
        assert kind.code in profile.codes("institution_kinds")
        assert kind.channel in profile.codes("referral_channels")
    for receiving in profile.referral.receiving_kinds:
        assert receiving in profile.codes("institution_kinds")


def test_the_referral_channel_figures_count_accepted_referrals(send, owner):
    from thb.referrals.services import referral_accept
    from thb.victims.services import ExploitationProfile, Intake, VictimProfile, decision_record

    referral = send()
    case = referral_accept(
        actor=owner,
        referral=referral,
        intake=Intake(
            intake_date=referral.sent_on,
            referral_channel="",
            victim=VictimProfile(sex="female", citizenship="LV", age_at_identification=30),
            exploitation=ExploitationProfile(forms=[("labour", "")]),
        ),
    )
    decision_record(
        actor=owner,
        case=case,
        kind="commission",
        decided_on=referral.sent_on,
        recognised=True,
        criteria_met=["purpose_exploitation"],
        members="Chair",
    )
    figures = compute_figures(referral.sent_on.year)
    assert figures["victims.referral.state_police"] == 1
    assert figures["victims.referral.self"] == 0
