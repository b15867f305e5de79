"""Writes to the victim register. Each service is atomic, takes the acting user,
validates against the country profile, writes the case timeline and the audit log."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_countries import countries

from thb.accounts.models import Institution, User
from thb.audit.models import Action
from thb.audit.services import audit_record
from thb.core import validators
from thb.core.changes import records_changed
from thb.profiles import get_profile
from thb.victims.models import (
    Case,
    CaseEvent,
    CaseExploitation,
    CasePlace,
    CaseStatus,
    DecisionKind,
    IdentificationDecision,
    Person,
    PersonIdentity,
    Sex,
)
from thb.victims.policy import CasePolicy
from thb.victims.rules import exploitation_key, primary_form

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud on the phone


@dataclass
class Identity:
    given_names: str = ""
    surname: str = ""
    personal_code: str = ""
    date_of_birth: date | None = None
    phone: str = ""
    email: str = ""
    address: str = ""


@dataclass
class ExploitationProfile:
    forms: Sequence[tuple[str, str]] = ()  # (form code, sector code or "")
    places: Sequence[tuple[str, str]] = ()  # (ISO country code, region code or "")
    recruitment_method: str = "unknown"
    exploitation_start: date | None = None
    exploitation_end: date | None = None
    primary_form_override: str = ""
    primary_form_override_reason: str = ""


@dataclass
class VictimProfile:
    sex: str = Sex.UNKNOWN
    citizenship: str = ""
    age_at_identification: int | None = None
    education: str = "unknown"


@dataclass
class Intake:
    intake_date: date
    referral_channel: str
    referring_institution: Institution | None = None
    victim: VictimProfile = field(default_factory=VictimProfile)
    identity: Identity = field(default_factory=Identity)
    exploitation: ExploitationProfile = field(default_factory=ExploitationProfile)
    screening_notes: str = ""
    external_id: str = ""


# Validation helpers: each raises ValidationError naming the field.


def _check_code(field_name: str, value: str, section: str, *, allow_blank: bool = False) -> None:
    if allow_blank and value == "":
        return
    if value not in get_profile().codes(section):
        raise ValidationError({field_name: _("Unknown code “%(value)s”.") % {"value": value}})


def _check_past(field_name: str, value: date | None) -> None:
    if value is not None:
        validators.past_date(value, field=field_name)


def _check_identity(identity: Identity, *, age: int | None, on: date) -> None:
    """The personal code's format (as the profile gives it), the date of birth, and the
    age at identification against it. Normalises the code (spaces removed)."""
    identity.personal_code = validators.personal_code(identity.personal_code, field="personal_code")
    _check_past("date_of_birth", identity.date_of_birth)
    validators.personal_code_fits_birth(identity.personal_code, identity.date_of_birth)
    validators.age_fits_birth(age, date_of_birth=identity.date_of_birth, on=on)


def _check_victim(victim: VictimProfile) -> None:
    if victim.sex not in Sex.values:
        raise ValidationError({"sex": _("Unknown code “%(value)s”.") % {"value": victim.sex}})
    if victim.citizenship and victim.citizenship not in countries:
        raise ValidationError(
            {"citizenship": _("Unknown country “%(value)s”.") % {"value": victim.citizenship}}
        )
    if victim.age_at_identification is not None:
        validators.age(victim.age_at_identification, field="age_at_identification")
    _check_code("education", victim.education, "education_levels")


def _check_exploitation(profile_in: ExploitationProfile) -> None:
    profile = get_profile()
    seen: set[str] = set()
    for form, sector in profile_in.forms:
        _check_code("forms", form, "exploitation_forms")
        if form in seen:
            raise ValidationError({"forms": _("A form of exploitation is listed twice.")})
        seen.add(form)
        if sector:
            if not profile.form(form).has_sectors:
                raise ValidationError(
                    {
                        "forms": _("Only labour exploitation has a sector (%(form)s).")
                        % {"form": form}
                    }
                )
            _check_code("forms", sector, "labour_sectors")
    for country, region in profile_in.places:
        if country not in countries:
            raise ValidationError(
                {"places": _("Unknown country “%(value)s”.") % {"value": country}}
            )
        if region:
            if country != profile.country.code:
                raise ValidationError(
                    {
                        "places": _("A region can be given only for places in %(country)s.")
                        % {"country": profile.country.code}
                    }
                )
            _check_code("places", region, "regions")
    _check_code("recruitment_method", profile_in.recruitment_method, "recruitment_methods")
    _check_past("exploitation_start", profile_in.exploitation_start)
    _check_past("exploitation_end", profile_in.exploitation_end)
    if (
        profile_in.exploitation_start
        and profile_in.exploitation_end
        and profile_in.exploitation_end < profile_in.exploitation_start
    ):
        raise ValidationError({"exploitation_end": _("The end is before the start.")})
    if profile_in.primary_form_override:
        _check_code("primary_form_override", profile_in.primary_form_override, "exploitation_forms")
        if profile_in.primary_form_override not in seen:
            raise ValidationError(
                {"primary_form_override": _("The primary form must be one of the case's forms.")}
            )
        if not profile_in.primary_form_override_reason.strip():
            raise ValidationError(
                {"primary_form_override_reason": _("Give the reason for overriding the rule.")}
            )


def _new_person_code(year: int) -> str:
    while True:
        code = f"CTU-{year}-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(5))
        if not Person.objects.filter(code=code).exists():
            return code


def _event(case: Case, actor: User | None, event: str, **data: Any) -> None:
    CaseEvent.objects.create(case=case, actor=actor, kind=event, data=data)


def _apply_exploitation(case: Case, exploitation: ExploitationProfile) -> None:
    case.recruitment_method = exploitation.recruitment_method
    case.exploitation_start = exploitation.exploitation_start
    case.exploitation_end = exploitation.exploitation_end
    profile = get_profile()
    case.primary_form = primary_form((f for f, _s in exploitation.forms), profile)
    case.exploitation_key = (
        exploitation_key(dict(exploitation.forms), profile) if exploitation.forms else ""
    )
    case.primary_form_override = exploitation.primary_form_override
    case.primary_form_override_reason = (
        exploitation.primary_form_override_reason if exploitation.primary_form_override else ""
    )
    case.forms.all().delete()
    case.places.all().delete()
    CaseExploitation.objects.bulk_create(
        CaseExploitation(case=case, form=f, sector=s) for f, s in exploitation.forms
    )
    CasePlace.objects.bulk_create(
        CasePlace(case=case, country=c, region=r) for c, r in exploitation.places
    )
    # bulk_create sends no signal (the case's own save above did, but say it here too,
    # where the rows are written).
    records_changed()


def _set_identity(person: Person, identity: Identity) -> None:
    PersonIdentity.objects.update_or_create(
        person=person,
        defaults={
            "given_names": identity.given_names.strip(),
            "surname": identity.surname.strip(),
            "personal_code": identity.personal_code.strip(),
            "date_of_birth": identity.date_of_birth.isoformat() if identity.date_of_birth else "",
            "phone": identity.phone.strip(),
            "email": identity.email.strip(),
            "address": identity.address.strip(),
        },
    )


def case_create(*, actor: User, intake: Intake, institution: Institution | None = None) -> Case:
    """Record a potential victim referred by any channel, at the actor's institution."""
    if not CasePolicy.can_create(actor) or actor.institution is None:
        raise PermissionDenied(_("Only a caseworker of an institution records an intake."))
    owner = institution or actor.institution
    if not CasePolicy.can_create(actor, owner):
        raise PermissionDenied(_("A caseworker records intakes for their own institution."))
    _check_past("intake_date", intake.intake_date)
    _check_code("referral_channel", intake.referral_channel, "referral_channels")
    _check_victim(intake.victim)
    _check_identity(intake.identity, age=intake.victim.age_at_identification, on=intake.intake_date)
    _check_exploitation(intake.exploitation)
    if (
        intake.external_id
        and Case.objects.filter(institution=owner, external_id=intake.external_id).exists()
    ):
        raise ValidationError({"external_id": _("A case with this external id exists.")})
    with transaction.atomic():
        person = Person.objects.create(
            code=_new_person_code(intake.intake_date.year),
            sex=intake.victim.sex,
            citizenship=intake.victim.citizenship,
        )
        _set_identity(person, intake.identity)
        case = Case(
            person=person,
            institution=owner,
            intake_date=intake.intake_date,
            referral_channel=intake.referral_channel,
            referring_institution=intake.referring_institution,
            age_at_identification=intake.victim.age_at_identification,
            education=intake.victim.education,
            screening_notes=intake.screening_notes,
            external_id=intake.external_id,
        )
        case.full_clean(exclude=["person", "primary_form"])
        case.save()
        _apply_exploitation(case, intake.exploitation)
        case.save(
            update_fields=[
                "recruitment_method",
                "exploitation_start",
                "exploitation_end",
                "primary_form",
                "primary_form_override",
                "primary_form_override_reason",
                "exploitation_key",
            ]
        )
        _event(
            case,
            actor,
            "intake",
            referral_channel=intake.referral_channel,
            intake_date=intake.intake_date.isoformat(),
        )
        audit_record(
            actor=actor,
            action=Action.CREATE,
            target=case,
            details={"code": person.code, "fields": "intake"},
        )
    return case


def _require_editor(actor: User, case: Case) -> None:
    if not CasePolicy(actor, case).can_edit:
        raise PermissionDenied(_("Only the owning institution's caseworkers edit this case."))


def case_update_profile(
    *,
    actor: User,
    case: Case,
    victim: VictimProfile,
    exploitation: ExploitationProfile,
    screening_notes: str | None = None,
    identity: Identity | None = None,
) -> Case:
    _require_editor(actor, case)
    _check_victim(victim)
    _check_exploitation(exploitation)
    if identity is not None:
        _check_identity(identity, age=victim.age_at_identification, on=case.intake_date)
    with transaction.atomic():
        person = case.person
        person.sex = victim.sex
        person.citizenship = victim.citizenship
        person.save(update_fields=["sex", "citizenship"])
        if identity is not None:
            _set_identity(person, identity)
        case.age_at_identification = victim.age_at_identification
        case.education = victim.education
        if screening_notes is not None:
            case.screening_notes = screening_notes
        _apply_exploitation(case, exploitation)
        case.save()
        _event(
            case,
            actor,
            "profile_updated",
            forms=[f for f, _s in exploitation.forms],
            primary_form=case.effective_primary_form,
        )
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            target=case,
            details={"fields": "profile", "identity": identity is not None},
        )
    return case


def case_route(
    *,
    actor: User,
    case: Case,
    submitted_to_commission_on: date | None,
    proceeding_institution: Institution | None,
    proceeding_reference: str,
) -> Case:
    """Put the case before the commission and/or link it to a criminal proceeding
    (which lets that institution's process directors see it)."""
    _require_editor(actor, case)
    _check_past("submitted_to_commission_on", submitted_to_commission_on)
    if (proceeding_institution is None) != (not proceeding_reference.strip()):
        raise ValidationError(
            {"proceeding_reference": _("Give both the institution and the proceeding number.")}
        )
    with transaction.atomic():
        case.submitted_to_commission_on = submitted_to_commission_on
        case.proceeding_institution = proceeding_institution
        case.proceeding_reference = proceeding_reference.strip()
        case.save(
            update_fields=[
                "submitted_to_commission_on",
                "proceeding_institution",
                "proceeding_reference",
                "updated_at",
            ]
        )
        _event(
            case,
            actor,
            "routed",
            commission=submitted_to_commission_on.isoformat() if submitted_to_commission_on else "",
            proceeding=case.proceeding_reference,
        )
        audit_record(actor=actor, action=Action.UPDATE, target=case, details={"fields": "routing"})
    return case


def decision_record(
    *,
    actor: User,
    case: Case,
    kind: str,
    decided_on: date,
    recognised: bool,
    criteria_met: Sequence[str] = (),
    reasons: str = "",
    members: str = "",
    proceeding_reference: str = "",
) -> IdentificationDecision:
    """Record the identification decision: by the specialist commission (recorded by a
    member or the owning institution's caseworker) or by a process director."""
    if kind not in DecisionKind.values:
        raise ValidationError({"kind": _("Unknown code “%(value)s”.") % {"value": kind}})
    if not CasePolicy(actor, case).can_decide(kind):
        raise PermissionDenied(_("You cannot record this decision for this case."))
    _check_past("decided_on", decided_on)
    if decided_on < case.intake_date:
        raise ValidationError({"decided_on": _("The decision cannot precede the intake.")})
    for code in criteria_met:
        _check_code("criteria_met", code, "identification_criteria")
    member_lines = [line.strip() for line in members.splitlines() if line.strip()]
    if kind == DecisionKind.COMMISSION and not member_lines:
        raise ValidationError({"members": _("List the commission members who decided.")})
    if kind == DecisionKind.PROCESS_DIRECTOR and not proceeding_reference.strip():
        raise ValidationError({"proceeding_reference": _("Give the criminal proceeding number.")})
    if kind == DecisionKind.COMMISSION and recognised and not criteria_met:
        raise ValidationError({"criteria_met": _("Mark the criteria the person meets.")})
    if not recognised and not reasons.strip():
        raise ValidationError({"reasons": _("Give the reasons for not recognising the person.")})
    with transaction.atomic():
        decision = IdentificationDecision.objects.create(
            case=case,
            kind=kind,
            decided_on=decided_on,
            recognised=recognised,
            criteria_met=list(criteria_met),
            reasons=reasons.strip(),
            members="\n".join(member_lines),
            proceeding_reference=proceeding_reference.strip(),
            recorded_by=actor,
        )
        previous = case.status
        case.status = CaseStatus.RECOGNISED if recognised else CaseStatus.NOT_RECOGNISED
        case.decided_on = decided_on
        fields = ["status", "decided_on", "updated_at"]
        if kind == DecisionKind.COMMISSION and case.submitted_to_commission_on is None:
            case.submitted_to_commission_on = decided_on
            fields.append("submitted_to_commission_on")
        case.save(update_fields=fields)
        _event(
            case,
            actor,
            "decision",
            decided_by=kind,
            recognised=recognised,
            decided_on=decided_on.isoformat(),
            previous_status=previous,
            status=case.status,
        )
        audit_record(
            actor=actor,
            action=Action.CREATE,
            target=decision,
            details={"case": case.person.code, "recognised": recognised},
        )
    return decision


def case_record_injured_party(
    *, actor: User, case: Case, recognised_on: date, proceeding_reference: str
) -> Case:
    """The victim was recognised as an injured party (cietušais) in criminal proceedings."""
    if not CasePolicy(actor, case).can_record_injured_party:
        raise PermissionDenied(_("You cannot record this for this case."))
    _check_past("injured_party_on", recognised_on)
    if not proceeding_reference.strip():
        raise ValidationError(
            {"injured_party_proceeding": _("Give the criminal proceeding number.")}
        )
    with transaction.atomic():
        case.injured_party_on = recognised_on
        case.injured_party_proceeding = proceeding_reference.strip()
        case.save(update_fields=["injured_party_on", "injured_party_proceeding", "updated_at"])
        _event(
            case,
            actor,
            "injured_party",
            on=recognised_on.isoformat(),
            proceeding=case.injured_party_proceeding,
        )
        audit_record(
            actor=actor, action=Action.UPDATE, target=case, details={"fields": "injured_party"}
        )
    return case


def exploitation_keys_rebuild(*, case_model: Any = Case, form_model: Any = CaseExploitation) -> int:
    """Recompute every case's stored exploitation key from its recorded forms; returns
    how many cases changed. Used by the migration that added the column (with its
    historical models) and after the profile's form priorities change. The key is
    derived data, not a record's content, so this writes no audit event."""
    profile = get_profile()
    forms: dict[int, dict[str, str]] = {}
    for case_id, form, sector in form_model.objects.values_list("case_id", "form", "sector"):
        forms.setdefault(case_id, {})[form] = sector
    by_key: dict[str, list[int]] = {}
    for case_id, stored in case_model.objects.values_list("pk", "exploitation_key"):
        found = forms.get(case_id)
        key = exploitation_key(found, profile) if found else ""
        if key != stored:
            by_key.setdefault(key, []).append(case_id)
    with transaction.atomic():
        for key, ids in by_key.items():
            # Chunked so that the IN list stays within every database's parameter limit.
            for start in range(0, len(ids), 5000):
                case_model.objects.filter(pk__in=ids[start : start + 5000]).update(
                    exploitation_key=key
                )
        # Not from the migration (historical models): the store may not exist yet.
        if by_key and case_model is Case:
            records_changed()
    return sum(len(ids) for ids in by_key.values())
