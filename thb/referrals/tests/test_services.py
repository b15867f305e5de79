"""Referral services: sending with consent, the identity encrypted at rest and read
only through the audited policy function, the provider's answers, acceptance as the
intake, and anonymous notifications without identity."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from thb.accounts.models import InstitutionKind, Role
from thb.audit.models import AuditEvent
from thb.core.fields import EncryptedTextField
from thb.referrals import policy
from thb.referrals.models import (
    AnonymousNotification,
    ReferralIdentity,
    ReferralStatus,
)
from thb.referrals.rules import acknowledge_by, local_date
from thb.referrals.services import (
    NotificationDetails,
    ReferredPerson,
    notification_send,
    referral_accept,
    referral_acknowledge,
    referral_decline,
)
from thb.victims.models import Case
from thb.victims.policy import identity_for as case_identity_for
from thb.victims.services import ExploitationProfile, Intake, VictimProfile

pytestmark = pytest.mark.django_db


def _raw(column: str, pk: int) -> str:
    table = ReferralIdentity._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return str(cursor.fetchone()[0])


def test_the_identity_is_encrypted_at_rest(send):
    referral = send()
    identity = ReferralIdentity.objects.get(referral=referral)
    assert "Bērziņa" not in _raw("surname", identity.pk)
    assert "29999999" not in _raw("phone", identity.pk)
    assert "Passport" not in _raw("observations", identity.pk)


def test_the_identity_is_read_only_through_the_policy_and_every_read_is_audited(
    send, owner, colleague, officer, make_user, police
):
    referral = send()
    before = AuditEvent.objects.filter(action="read").count()
    identity = policy.identity_for(owner, referral)
    assert identity is not None and identity.surname == "Bērziņa"
    event = AuditEvent.objects.filter(action="read").order_by("-seq").first()
    assert event is not None and event.actor == owner
    assert event.details["reference"] == referral.reference
    assert "Bērziņa" not in str(event.details)
    assert AuditEvent.objects.filter(action="read").count() == before + 1
    # The officer who sent it sees it; a colleague at the same police does not; nor
    # does another provider's caseworker.
    assert policy.identity_for(officer, referral) is not None
    other_officer = make_user("other-officer", Role.REPORTER, police)
    assert policy.identity_for(other_officer, referral) is None
    assert policy.identity_for(colleague, referral) is None


def test_the_write_is_audited_without_the_identity(send):
    referral = send()
    event = AuditEvent.objects.filter(action="create", object_type="referrals.referral").get()
    assert event.details["reference"] == referral.reference
    assert "Bērziņa" not in str(event.details) and "Anna" not in str(event.details)


def test_the_acknowledgement_deadline_comes_from_the_urgency_level(send):
    referral = send(urgency="routine")
    assert referral.acknowledge_by == acknowledge_by(referral.sent_on, "routine")
    assert referral.acknowledge_by > referral.sent_on  # one working day later
    immediate = send(urgency="immediate")
    assert immediate.acknowledge_by == immediate.sent_on  # the same day


def test_a_routine_referral_sent_on_friday_is_due_on_monday():
    from datetime import date

    # 2026-11-13 is a Friday and Monday 2026-11-16 an ordinary working day in Latvia.
    assert acknowledge_by(date(2026, 11, 13), "routine") == date(2026, 11, 16)
    # 18 November is a public holiday (Proclamation Day): Tuesday 17th -> Thursday 19th.
    assert acknowledge_by(date(2026, 11, 17), "routine") == date(2026, 11, 19)


def test_an_adult_who_does_not_consent_is_not_referred(send):
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError) as error:
        send(consent="refused")
    assert "anonymous notification" in str(error.value.message_dict["consent"])


def test_a_minor_is_referred_without_consent(send):
    child = ReferredPerson(given_names="Jānis", surname="Ozols", sex="male", age=15)
    referral = send(consent="refused", person=child)
    assert referral.age == 15


def test_the_age_must_fit_the_date_of_birth(send, person):
    person.age = 50
    with pytest.raises(ValidationError) as error:
        send(person=person)
    assert "age" in error.value.message_dict


def test_only_referring_institutions_refer(send, owner, make_user, make_institution):
    with pytest.raises(PermissionDenied):
        send(actor=owner)
    ministry_reporter = make_user(
        "welfare", Role.REPORTER, make_institution("lm", InstitutionKind.MINISTRY)
    )
    with pytest.raises(PermissionDenied):
        send(actor=ministry_reporter)


def test_a_referral_goes_only_to_a_receiving_institution(send, police):
    with pytest.raises(ValidationError) as error:
        send(to=police)
    assert "provider" in error.value.message_dict


def test_decline_needs_a_reason_and_words_where_the_profile_asks(send, owner, colleague):
    referral = send()
    with pytest.raises(PermissionDenied):
        referral_decline(actor=colleague, referral=referral, reason="no_capacity")
    with pytest.raises(ValidationError):
        referral_decline(actor=owner, referral=referral, reason="not-a-reason")
    with pytest.raises(ValidationError) as error:
        referral_decline(actor=owner, referral=referral, reason="other")
    assert "note" in error.value.message_dict
    referral_decline(actor=owner, referral=referral, reason="no_capacity", note="Full.")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED
    assert referral.decline_reason == "no_capacity"
    assert referral.acknowledged_on is not None  # an answer acknowledges receipt
    with pytest.raises(PermissionDenied):  # no second answer
        referral_decline(actor=owner, referral=referral, reason="no_capacity")


def test_acknowledgement_in_time_and_late(send, owner):
    on_time = send()
    referral_acknowledge(actor=owner, referral=on_time)
    assert on_time.status == ReferralStatus.ACKNOWLEDGED and on_time.acknowledged_on_time
    late = send(days_ago=10)
    referral_acknowledge(actor=owner, referral=late)
    assert late.acknowledged_on_time is False


def _intake(referral):
    return Intake(
        intake_date=local_date(timezone.now()),
        referral_channel="self",  # overridden: derived from the referring institution
        victim=VictimProfile(sex="female", citizenship="LV", age_at_identification=30),
        exploitation=ExploitationProfile(forms=[("labour", "")]),
    )


def test_accepting_creates_the_case_with_the_referral_channel_and_moves_the_identity(
    send, owner, officer, person
):
    referral = send()
    from thb.referrals.services import identity_as_intake

    intake = _intake(referral)
    intake.identity = identity_as_intake(policy.identity_for(owner, referral))
    case = referral_accept(actor=owner, referral=referral, intake=intake)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED and referral.case == case
    assert case.institution == owner.institution
    assert case.referral_channel == "state_police"
    assert case.referring_institution == officer.institution
    case_identity = case_identity_for(owner, case)
    assert case_identity is not None and case_identity.surname == "Bērziņa"
    # One copy of the identity: the referral's is emptied.
    emptied = policy.identity_for(owner, referral)
    assert emptied is not None and emptied.surname == ""
    assert case.events.filter(kind="referrals.accepted").exists()


def test_the_referring_institution_never_opens_the_case(send, owner, officer):
    from django.http import Http404

    from thb.victims.selectors import case_get_for_user

    referral = send()
    case = referral_accept(actor=owner, referral=referral, intake=_intake(referral))
    assert not policy.ReferralPolicy(officer, referral).can_open_case
    with pytest.raises(Http404):
        case_get_for_user(actor=officer, code=case.person.code)


def test_another_provider_cannot_accept(send, colleague):
    referral = send()
    with pytest.raises(PermissionDenied):
        referral_accept(actor=colleague, referral=referral, intake=_intake(referral))
    assert not Case.objects.exists()


def test_an_anonymous_notification_has_no_identity_fields(officer):
    fields = {f.name for f in AnonymousNotification._meta.get_fields()}
    assert not any(isinstance(f, EncryptedTextField) for f in AnonymousNotification._meta.fields)
    assert not fields & {
        "given_names",
        "surname",
        "personal_code",
        "date_of_birth",
        "phone",
        "email",
        "address",
        "observations",
        "contact_notes",
    }
    notification = notification_send(
        actor=officer,
        details=NotificationDetails(
            notified_on=timezone.localdate(), sex="male", age_group="25_34", citizenship="UZ"
        ),
    )
    assert notification.institution == officer.institution


def test_an_anonymous_notification_is_not_for_a_minor(officer):
    with pytest.raises(ValidationError) as error:
        notification_send(
            actor=officer,
            details=NotificationDetails(notified_on=timezone.localdate(), age_group="12_17"),
        )
    assert "age_group" in error.value.message_dict


def test_a_notification_in_the_future_is_refused(officer):
    with pytest.raises(ValidationError):
        notification_send(
            actor=officer,
            details=NotificationDetails(notified_on=timezone.localdate() + timedelta(days=2)),
        )
