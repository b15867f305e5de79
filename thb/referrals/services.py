"""Writes of referrals and anonymous notifications. Each service is atomic, takes the
acting user, asks the policy, validates against the country profile and writes one
audit event (identities are never written into the audit log)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from thb.accounts.models import Institution, User
from thb.audit.models import Action
from thb.audit.services import audit_record
from thb.core import validators
from thb.core.codes import RecordKind, random_code
from thb.profiles import get_profile
from thb.referrals import policy
from thb.referrals.models import (
    AnonymousNotification,
    Referral,
    ReferralIdentity,
    ReferralStatus,
)
from thb.referrals.rules import acknowledge_by, is_minor, local_date, minor_age_groups
from thb.screening.services import ScreeningInput, record_input, screening_attach
from thb.victims.models import Case, Sex
from thb.victims.services import Identity, Intake, case_create, case_event_record

UNKNOWN_AGE_GROUP = "unknown"


@dataclass
class ReferredPerson:
    """Who is referred: the identity (encrypted at rest) and what the intake needs."""

    given_names: str = ""
    surname: str = ""
    personal_code: str = ""
    date_of_birth: date | None = None
    phone: str = ""
    address: str = ""
    sex: str = Sex.UNKNOWN
    citizenship: str = ""
    age: int | None = None


@dataclass
class ReferralDetails:
    provider: Institution
    consent: str
    consent_on: date
    urgency: str
    language: str
    contact_arrangement: str
    interpreter_needed: bool = False
    contact_notes: str = ""
    observations: str = ""
    suspected_forms: Sequence[str] = field(default_factory=list)
    # The structured screening of what was observed (thb.screening), if one was done.
    screening: ScreeningInput | None = None


def _new_reference(model: Any, kind: RecordKind, year: int) -> str:
    while True:
        reference = random_code(kind, year)
        if not model.objects.filter(reference=reference).exists():
            return reference


def _check_code(field_name: str, value: str, codes: Sequence[str]) -> None:
    if value not in codes:
        raise ValidationError({field_name: _("Unknown code “%(value)s”.") % {"value": value}})


def _check_forms(forms: Sequence[str]) -> list[str]:
    known = get_profile().codes("exploitation_forms")
    for code in forms:
        _check_code("suspected_forms", code, known)
    if len(set(forms)) != len(forms):
        raise ValidationError({"suspected_forms": _("A form of exploitation is listed twice.")})
    return list(forms)


def _check_person_basics(sex: str, citizenship: str) -> None:
    if sex not in Sex.values:
        raise ValidationError({"sex": _("Unknown code “%(value)s”.") % {"value": sex}})
    if citizenship and citizenship not in countries:
        raise ValidationError(
            {"citizenship": _("Unknown country “%(value)s”.") % {"value": citizenship}}
        )


def _person_age(person: ReferredPerson, on: date) -> int | None:
    """The age given, checked against the date of birth; derived from it when missing."""
    if person.age is not None:
        validators.age(person.age, field="age")
    if person.date_of_birth is not None:
        validators.past_date(person.date_of_birth, field="date_of_birth")
        validators.age_fits_birth(
            person.age, date_of_birth=person.date_of_birth, on=on, field="age"
        )
        return person.age if person.age is not None else validators.age_on(person.date_of_birth, on)
    return person.age


def _audit(actor: User, action: str, target: Any, **details: Any) -> None:
    audit_record(actor=actor, action=action, target=target, details=details)


def referral_check(
    person: ReferredPerson,
    details: ReferralDetails,
    sent_on: date,
    errors: validators.Collect | None = None,
) -> tuple[ReferredPerson, int | None, list[str]]:
    """Every rule of a referral's person and details, each independent one run and
    every failure reported at once (with `errors`, a form's collector, added to it
    instead of raised; what did not parse is None or blank there). Returns the person
    with the personal code normalised, the age and the forms."""
    own = errors is None
    errors = errors or validators.Collect()
    section = get_profile().referral
    for name, value, codes in (
        ("urgency", details.urgency, "urgency_levels"),
        ("consent", details.consent, "consent_options"),
        ("language", details.language, "languages"),
        ("contact_arrangement", details.contact_arrangement, "contact_arrangements"),
    ):
        if value:
            with errors:
                _check_code(name, value, section.codes(codes))
    if details.consent_on is not None:
        with errors:
            validators.past_date(details.consent_on, field="consent_on")
        if details.consent_on > sent_on and not errors.failed("consent_on"):
            errors.add(
                ValidationError({"consent_on": _("The consent cannot follow the referral.")})
            )
    forms: list[str] = []
    with errors:
        forms = _check_forms(details.suspected_forms)
    if person.sex:
        with errors:
            _check_person_basics(person.sex, person.citizenship)
    with errors:
        validators.texts(
            {
                "given_names": (person.given_names, "name"),
                "surname": (person.surname, "name"),
                "phone": (person.phone, "line"),
                "address": (person.address, "line"),
                "contact_notes": (details.contact_notes, "notes"),
                "observations": (details.observations, "notes"),
            }
        )
    with errors:
        person = replace(
            person,
            personal_code=validators.personal_code(person.personal_code, field="personal_code"),
        )
    if not errors.failed("personal_code", "date_of_birth"):
        with errors:
            validators.personal_code_fits_birth(person.personal_code, person.date_of_birth)
    age: int | None = None
    if not errors.failed("age", "date_of_birth"):
        with errors:
            age = _person_age(person, sent_on)
    minor = is_minor(age)
    consent_known = details.consent in section.codes("consent_options")
    if (
        consent_known
        and not section.consent(details.consent).allows_referral
        and not (minor and section.minors_referred_without_consent)
    ):
        errors.add(
            ValidationError(
                {
                    "consent": _(
                        "An adult who does not consent is not referred: send an anonymous "
                        "notification instead."
                    )
                }
            )
        )
    if not (person.given_names.strip() or person.surname.strip()):
        errors.add(ValidationError({"surname": _("Give the person's name for the intake.")}))
    if own:
        errors.raise_if_any()
    return person, age, forms


# Sending.


def referral_send(
    *,
    actor: User,
    person: ReferredPerson,
    details: ReferralDetails,
    sent_at: datetime | None = None,
) -> Referral:
    """Refer a presumed victim to a service provider. An adult is referred only with a
    consent that allows it (otherwise: `notification_send`)."""
    if not policy.can_refer(actor) or actor.institution is None:
        raise PermissionDenied(_("Only a user of a referring institution sends a referral."))
    sent_at = sent_at or timezone.now()
    if sent_at > timezone.now():
        raise ValidationError({"sent_at": _("The date cannot be in the future.")})
    sent_on = local_date(sent_at)
    if not policy.is_receiving_institution(details.provider):
        raise ValidationError({"provider": _("This institution does not receive referrals.")})
    person, age, forms = referral_check(person, details, sent_on)
    with transaction.atomic():
        referral = Referral(
            reference=_new_reference(Referral, "referral", sent_on.year),
            referring_institution=actor.institution,
            referred_by=actor,
            provider=details.provider,
            sent_at=sent_at,
            sent_on=sent_on,
            acknowledge_by=acknowledge_by(sent_on, details.urgency),
            urgency=details.urgency,
            consent=details.consent,
            consent_on=details.consent_on,
            language=details.language,
            interpreter_needed=details.interpreter_needed,
            contact_arrangement=details.contact_arrangement,
            sex=person.sex,
            citizenship=person.citizenship,
            age=age,
            suspected_forms=forms,
        )
        if details.screening is not None:
            # Recorded at the referring institution, without a case (an error names
            # the screening's field and rolls the referral back).
            referral.screening = record_input(actor, details.screening)
        referral.full_clean()
        referral.save()
        ReferralIdentity.objects.create(
            referral=referral,
            given_names=person.given_names.strip(),
            surname=person.surname.strip(),
            personal_code=person.personal_code,
            date_of_birth=person.date_of_birth.isoformat() if person.date_of_birth else "",
            phone=person.phone.strip(),
            address=person.address.strip(),
            contact_notes=details.contact_notes.strip(),
            observations=details.observations.strip(),
        )
        _audit(
            actor,
            Action.CREATE,
            referral,
            reference=referral.reference,
            provider=details.provider.code,
            urgency=details.urgency,
            acknowledge_by=referral.acknowledge_by,
        )
    return referral


# The provider's answer.


def _require_answer(actor: User, referral: Referral) -> None:
    if not policy.ReferralPolicy(actor, referral).can_answer:
        raise PermissionDenied(_("Only the provider's caseworkers answer an open referral."))


def _acknowledge(actor: User, referral: Referral, now: datetime) -> list[str]:
    if referral.acknowledged_at is not None:
        return []
    referral.acknowledged_at = now
    referral.acknowledged_on = local_date(now)
    referral.acknowledged_by = actor
    return ["acknowledged_at", "acknowledged_on", "acknowledged_by"]


def referral_acknowledge(
    *, actor: User, referral: Referral, at: datetime | None = None
) -> Referral:
    """The provider confirms receipt (within the urgency level's deadline)."""
    _require_answer(actor, referral)
    if referral.acknowledged_at is not None:
        return referral
    now = at or timezone.now()
    with transaction.atomic():
        fields = _acknowledge(actor, referral, now)
        referral.status = ReferralStatus.ACKNOWLEDGED
        referral.save(update_fields=[*fields, "status"])
        _audit(
            actor,
            Action.UPDATE,
            referral,
            reference=referral.reference,
            step="acknowledged",
            on_time=referral.acknowledged_on_time,
        )
    return referral


def referral_decline(
    *, actor: User, referral: Referral, reason: str, note: str = "", at: datetime | None = None
) -> Referral:
    """The provider declines, with a reason of the profile (and words where it asks)."""
    _require_answer(actor, referral)
    section = get_profile().referral
    _check_code("reason", reason, section.codes("decline_reasons"))
    if section.decline_reason(reason).needs_note and not note.strip():
        raise ValidationError({"note": _("Explain the reason.")})
    validators.text(note, field="note")
    now = at or timezone.now()
    with transaction.atomic():
        fields = _acknowledge(actor, referral, now)
        referral.status = ReferralStatus.DECLINED
        referral.answered_at = now
        referral.answered_by = actor
        referral.decline_reason = reason
        referral.decline_note = note.strip()
        referral.save(
            update_fields=[
                *fields,
                "status",
                "answered_at",
                "answered_by",
                "decline_reason",
                "decline_note",
            ]
        )
        _audit(
            actor,
            Action.UPDATE,
            referral,
            reference=referral.reference,
            step="declined",
            reason=reason,
        )
    return referral


def intake_channel(referral: Referral) -> str:
    """The referral channel of the case: derived from the referring institution's kind
    (profile referral.referring_kinds)."""
    channel = get_profile().referral.channel_for(referral.referring_institution.kind)
    if channel is None:  # the institution's kind left the profile's list since
        raise ValidationError(
            {"referral_channel": _("The referring institution's kind has no referral channel.")}
        )
    return channel


def referral_accept(
    *, actor: User, referral: Referral, intake: Intake, at: datetime | None = None
) -> Case:
    """Accept the referral: the completed intake becomes the provider's case (through
    the victim register's `case_create`), with the referral channel and the referring
    institution taken from the referral. The identity moves into the case: the
    referral's copy is emptied."""
    _require_answer(actor, referral)
    intake = replace(
        intake,
        referral_channel=intake_channel(referral),
        referring_institution=referral.referring_institution,
    )
    identity = ReferralIdentity.objects.filter(referral_id=referral.pk).first()
    if not intake.screening_notes and identity is not None:
        # The officer's notes go with the case (encrypted there too): nothing is typed twice.
        intake = replace(intake, screening_notes=identity.observations)
    now = at or timezone.now()
    with transaction.atomic():
        case = case_create(actor=actor, intake=intake)
        if referral.screening is not None:
            screening_attach(actor, referral.screening, case)
        fields = _acknowledge(actor, referral, now)
        referral.status = ReferralStatus.ACCEPTED
        referral.answered_at = now
        referral.answered_by = actor
        referral.case = case
        referral.save(update_fields=[*fields, "status", "answered_at", "answered_by", "case"])
        ReferralIdentity.objects.filter(referral_id=referral.pk).update(
            given_names="",
            surname="",
            personal_code="",
            date_of_birth="",
            phone="",
            address="",
            contact_notes="",
            observations="",
        )
        case_event_record(
            case=case,
            actor=actor,
            kind="referrals.accepted",
            data={
                "reference": referral.reference,
                "referring_institution": referral.referring_institution.code,
                "sent_on": referral.sent_on.isoformat(),
            },
        )
        _audit(
            actor,
            Action.UPDATE,
            referral,
            reference=referral.reference,
            step="accepted",
            case=case.person.code,
        )
    return case


def identity_as_intake(identity: Any) -> Identity:
    """The referral's identity in the victim register's terms (for the intake form)."""
    born = identity.date_of_birth if identity is not None else ""
    return Identity(
        given_names=getattr(identity, "given_names", ""),
        surname=getattr(identity, "surname", ""),
        personal_code=getattr(identity, "personal_code", ""),
        date_of_birth=date.fromisoformat(born) if born else None,
        phone=getattr(identity, "phone", ""),
        address=getattr(identity, "address", ""),
    )


# Anonymous notifications.


@dataclass
class NotificationDetails:
    notified_on: date
    sex: str = Sex.UNKNOWN
    age_group: str = UNKNOWN_AGE_GROUP
    citizenship: str = ""
    suspected_forms: Sequence[str] = field(default_factory=list)
    # The screening result: indicators only, never notes (they could identify).
    screening: ScreeningInput | None = None


def notification_send(*, actor: User, details: NotificationDetails) -> AnonymousNotification:
    """Notify a presumed victim who did not consent, without any identity."""
    if not policy.can_notify(actor) or actor.institution is None:
        raise PermissionDenied(_("Only a user of a referring institution sends a notification."))
    profile = get_profile()
    validators.past_date(details.notified_on, field="notified_on")
    _check_person_basics(details.sex, details.citizenship)
    _check_code("age_group", details.age_group, [*profile.codes("age_groups"), UNKNOWN_AGE_GROUP])
    if profile.referral.minors_referred_without_consent and details.age_group in minor_age_groups():
        raise ValidationError(
            {"age_group": _("A minor is referred without their consent, not notified anonymously.")}
        )
    forms = _check_forms(details.suspected_forms)
    if details.screening is not None and details.screening.notes.strip():
        raise ValidationError(
            {"notes": _("An anonymous notification carries no free text: leave the notes empty.")}
        )
    with transaction.atomic():
        notification = AnonymousNotification(
            reference=_new_reference(
                AnonymousNotification, "anonymous_notification", details.notified_on.year
            ),
            institution=actor.institution,
            notified_by=actor,
            notified_on=details.notified_on,
            sex=details.sex,
            age_group=details.age_group,
            citizenship=details.citizenship,
            suspected_forms=forms,
        )
        if details.screening is not None:
            notification.screening = record_input(actor, details.screening)
        notification.full_clean()
        notification.save()
        _audit(actor, Action.CREATE, notification, reference=notification.reference)
    return notification
