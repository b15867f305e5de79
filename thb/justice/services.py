"""Writes to criminal proceedings. Each service is atomic, takes the acting user,
checks that the user works on the proceeding, validates against the country profile
(naming the field) and writes the audit log. No service stores a computed count."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_countries import countries

from thb.accounts.models import Institution, InstitutionKind, User
from thb.audit.models import Action
from thb.audit.services import audit_record
from thb.core import formats, validators
from thb.core.changes import records_changed
from thb.justice.models import (
    CourtLevel,
    InjuredParty,
    Judgment,
    JudgmentPerson,
    NonPunishmentDecision,
    NonPunishmentOutcome,
    Outcome,
    Proceeding,
    ProceedingSection,
    PropertyArrest,
    StageEvent,
    StageKind,
    Suspect,
)
from thb.justice.policy import can_change_non_punishment, is_justice_user, proceeding_scope
from thb.profiles import get_profile
from thb.victims.models import Case, Sex, country_code
from thb.victims.services import case_proceeding_link

# The institution kind that handles each stage (the "institution" of the event).
STAGE_INSTITUTION_KINDS: dict[str, tuple[str, ...]] = {
    StageKind.TRANSFERRED_FOR_PROSECUTION: (InstitutionKind.PROSECUTOR,),
    StageKind.SENT_TO_PROSECUTION: (InstitutionKind.COURT,),
    StageKind.FIRST_INSTANCE_RECEIVED: (InstitutionKind.COURT,),
    StageKind.FIRST_INSTANCE_EXAMINED: (InstitutionKind.COURT,),
    StageKind.APPEAL_RECEIVED: (InstitutionKind.COURT,),
    StageKind.APPEAL_EXAMINED: (InstitutionKind.COURT,),
    StageKind.CASSATION_RECEIVED: (InstitutionKind.COURT,),
    StageKind.CASSATION_EXAMINED: (InstitutionKind.COURT,),
}
# An examination needs an earlier receipt at the same level.
EXAMINATION_NEEDS: dict[str, str] = {
    StageKind.FIRST_INSTANCE_EXAMINED: StageKind.FIRST_INSTANCE_RECEIVED,
    StageKind.APPEAL_EXAMINED: StageKind.APPEAL_RECEIVED,
    StageKind.CASSATION_EXAMINED: StageKind.CASSATION_RECEIVED,
}


# Checks shared by the services. Each raises ValidationError naming the field.


def _require_justice_user(actor: User) -> None:
    if not is_justice_user(actor):
        raise PermissionDenied(_("Only police, prosecutors and courts record proceedings."))


def require_editor(actor: User, proceeding: Proceeding) -> None:
    """The actor works on the proceeding: its investigating institution or an institution
    that handles one of its stages. The coordinator reads but never writes."""
    _require_justice_user(actor)
    scope = proceeding_scope(actor)
    if scope is None or not Proceeding.objects.filter(scope, pk=proceeding.pk).exists():
        raise PermissionDenied(_("You do not work on this proceeding."))


def _check_date(field: str, value: date | None, *, not_before: date | None = None) -> None:
    if value is None:
        return
    validators.past_date(value, field=field)
    if not_before is not None and value < not_before:
        raise ValidationError(
            {field: _("The date cannot precede %(date)s.") % {"date": formats.day(not_before)}}
        )


def _check_sections(codes: Sequence[str], field: str = "sections") -> list[str]:
    profile = get_profile()
    allowed = {s.code for s in profile.legal_sections if s.group in ("trafficking", "related")}
    cleaned = list(dict.fromkeys(code.strip() for code in codes if code.strip()))
    if not cleaned:
        raise ValidationError({field: _("Give at least one Criminal Law section.")})
    for code in cleaned:
        if code not in allowed:
            raise ValidationError({field: _("Unknown section “%(value)s”.") % {"value": code}})
    return cleaned


def _check_country(field: str, code: str) -> str:
    code = code.strip().upper()
    if code and code not in countries:
        raise ValidationError({field: _("Unknown country code “%(value)s”.") % {"value": code}})
    return code


def _check_sex(value: str) -> None:
    if value not in Sex.values:
        raise ValidationError({"sex": _("Unknown code “%(value)s”.") % {"value": value}})


def _check_exploitation(form: str, sector: str) -> None:
    profile = get_profile()
    if form and form not in profile.codes("exploitation_forms"):
        raise ValidationError(
            {"exploitation_form": _("Unknown code “%(value)s”.") % {"value": form}}
        )
    if sector:
        if not form or not profile.form(form).has_sectors:
            raise ValidationError({"sector": _("A sector applies only to labour exploitation.")})
        if sector not in profile.codes("labour_sectors"):
            raise ValidationError({"sector": _("Unknown code “%(value)s”.") % {"value": sector}})


# Proceedings.


@dataclass
class ProceedingData:
    number: str
    sections: Sequence[str]
    started_on: date
    exploitation_form: str = ""
    sector: str = ""
    notes: str = ""


def proceeding_check(
    data: ProceedingData, *, existing: Proceeding | None, errors: validators.Collect | None = None
) -> list[str]:
    """Every rule of a proceeding, each independent one run and every failure reported
    together (with `errors`, a form's collector, added to it instead of raised)."""
    own = errors is None
    errors = errors or validators.Collect()
    pattern = get_profile().justice.proceeding_number_pattern
    number = (data.number or "").strip()
    if not re.fullmatch(pattern, number):
        errors.add(
            ValidationError({"number": _("The proceeding number does not have the expected form.")})
        )
    else:
        clash = Proceeding.objects.filter(number=number)
        if existing is not None:
            clash = clash.exclude(pk=existing.pk)
        if clash.exists():
            errors.add(
                ValidationError({"number": _("A proceeding with this number already exists.")})
            )
    sections: list[str] = []
    with errors:
        sections = _check_sections(data.sections or [])
    if data.started_on is None:
        errors.add(ValidationError({"started_on": _("Give the date the proceeding started.")}))
    else:
        with errors:
            _check_date("started_on", data.started_on)
    with errors:
        _check_exploitation(data.exploitation_form, data.sector)
    with errors:
        validators.text((data.notes or "").strip(), field="notes")
    if own:
        errors.raise_if_any()
    return sections


def proceeding_create(*, actor: User, data: ProceedingData) -> Proceeding:
    """Start recording a proceeding; the actor's institution investigates it."""
    _require_justice_user(actor)
    sections = proceeding_check(data, existing=None)
    with transaction.atomic():
        assert actor.institution is not None  # justice users always have one
        proceeding = Proceeding.objects.create(
            number=data.number.strip(),
            institution=actor.institution,
            started_on=data.started_on,
            exploitation_form=data.exploitation_form,
            sector=data.sector,
            notes=data.notes.strip(),
            created_by=actor,
        )
        ProceedingSection.objects.bulk_create(
            ProceedingSection(proceeding=proceeding, code=code) for code in sections
        )
        records_changed([proceeding.started_on.year])
        audit_record(
            actor=actor,
            action=Action.CREATE,
            target=proceeding,
            details={"number": proceeding.number, "sections": sections},
        )
    return proceeding


def proceeding_update(*, actor: User, proceeding: Proceeding, data: ProceedingData) -> Proceeding:
    require_editor(actor, proceeding)
    sections = proceeding_check(data, existing=proceeding)
    with transaction.atomic():
        proceeding.number = data.number.strip()
        proceeding.started_on = data.started_on
        proceeding.exploitation_form = data.exploitation_form
        proceeding.sector = data.sector
        proceeding.notes = data.notes.strip()
        proceeding.save(
            update_fields=[
                "number",
                "started_on",
                "exploitation_form",
                "sector",
                "notes",
                "updated_at",
            ]
        )
        proceeding.sections.exclude(code__in=sections).delete()
        for code in sections:
            ProceedingSection.objects.get_or_create(proceeding=proceeding, code=code)
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            target=proceeding,
            details={"number": proceeding.number, "sections": sections},
        )
    return proceeding


# Injured parties.


@dataclass
class InjuredPartyData:
    recognised_on: date
    case: Case | None = None
    sex: str = Sex.UNKNOWN
    minor: bool = False
    citizenship: str = ""
    external_id: str = ""


def _check_case_link(case: Case, proceeding: Proceeding) -> None:
    """A case routed to another proceeding belongs to that one's process director."""
    other_reference = case.proceeding_reference and case.proceeding_reference != proceeding.number
    other_institution = (
        case.proceeding_institution_id is not None
        and case.proceeding_institution_id != proceeding.institution_id
        and case.proceeding_reference != proceeding.number
    )
    if other_reference or other_institution:
        raise ValidationError(
            {"case_code": _("This case is linked to another criminal proceeding.")}
        )


def injured_party_add(
    *, actor: User, proceeding: Proceeding, data: InjuredPartyData
) -> InjuredParty:
    """Recognise a person as injured party: a victim case (its sex, age group and
    citizenship are copied for the statistics) or a counted person without a case."""
    require_editor(actor, proceeding)
    _check_date("recognised_on", data.recognised_on, not_before=proceeding.started_on)
    if data.case is not None:
        _check_case_link(data.case, proceeding)
        if proceeding.injured_parties.filter(case=data.case).exists():
            raise ValidationError({"case_code": _("This victim is already an injured party here.")})
        sex, minor = data.case.person.sex, bool(data.case.is_minor)
        citizenship = country_code(data.case.person.citizenship)
    else:
        _check_sex(data.sex)
        sex, minor = data.sex, data.minor
        citizenship = _check_country("citizenship", data.citizenship)
    with transaction.atomic():
        party = InjuredParty.objects.create(
            proceeding=proceeding,
            case=data.case,
            recognised_on=data.recognised_on,
            sex=sex,
            minor=minor,
            citizenship=citizenship,
            external_id=data.external_id.strip(),
        )
        if data.case is not None:
            # The case's routing and injured-party fields, and its timeline: victims' side.
            case_proceeding_link(
                actor=actor,
                case=data.case,
                institution=proceeding.institution,
                proceeding_number=proceeding.number,
                recognised_on=data.recognised_on,
            )
        audit_record(
            actor=actor,
            action=Action.CREATE,
            target=party,
            details={
                "proceeding": proceeding.number,
                "case": data.case.person.code if data.case else "",
            },
        )
    return party


# Suspects and accused.


@dataclass
class SuspectData:
    label: str
    sex: str
    suspected_on: date
    minor: bool = False
    citizenship: str = ""
    accused_on: date | None = None
    external_id: str = ""


def _validate_suspect(proceeding: Proceeding, data: SuspectData) -> str:
    if not data.label.strip():
        raise ValidationError({"label": _("Give a short label, e.g. “A”.")})
    _check_sex(data.sex)
    _check_date("suspected_on", data.suspected_on, not_before=proceeding.started_on)
    _check_date("accused_on", data.accused_on, not_before=data.suspected_on)
    return _check_country("citizenship", data.citizenship)


def suspect_save(
    *, actor: User, proceeding: Proceeding, data: SuspectData, suspect: Suspect | None = None
) -> Suspect:
    """Add a suspect, or update one (e.g. when the person is accused)."""
    require_editor(actor, proceeding)
    citizenship = _validate_suspect(proceeding, data)
    with transaction.atomic():
        created = suspect is None
        if suspect is None:
            suspect = Suspect(proceeding=proceeding)
        suspect.label = data.label.strip()
        suspect.sex = data.sex
        suspect.minor = data.minor
        suspect.citizenship = citizenship
        suspect.suspected_on = data.suspected_on
        suspect.accused_on = data.accused_on
        suspect.external_id = data.external_id.strip()
        validators.model_texts(suspect)
        suspect.save()
        audit_record(
            actor=actor,
            action=Action.CREATE if created else Action.UPDATE,
            target=suspect,
            details={"proceeding": proceeding.number},
        )
    return suspect


# Property arrested.


@dataclass
class PropertyArrestData:
    kind: str
    arrested_on: date
    value_eur: Decimal
    description: str = ""
    external_id: str = ""


def property_arrest_save(
    *,
    actor: User,
    proceeding: Proceeding,
    data: PropertyArrestData,
    arrest: PropertyArrest | None = None,
) -> PropertyArrest:
    require_editor(actor, proceeding)
    kinds = [k.code for k in get_profile().justice.property_kinds]
    if data.kind not in kinds:
        raise ValidationError({"kind": _("Unknown code “%(value)s”.") % {"value": data.kind}})
    _check_date("arrested_on", data.arrested_on, not_before=proceeding.started_on)
    if data.value_eur is None:
        raise ValidationError({"value_eur": _("Give the value in euro, zero or more.")})
    data.value_eur = validators.amount(data.value_eur, kind="property", field="value_eur")
    with transaction.atomic():
        created = arrest is None
        if arrest is None:
            arrest = PropertyArrest(proceeding=proceeding)
        arrest.kind = data.kind
        arrest.arrested_on = data.arrested_on
        arrest.value_eur = data.value_eur
        arrest.description = data.description.strip()
        arrest.external_id = data.external_id.strip()
        validators.model_texts(arrest)
        arrest.save()
        audit_record(
            actor=actor,
            action=Action.CREATE if created else Action.UPDATE,
            target=arrest,
            details={
                "proceeding": proceeding.number,
                "kind": data.kind,
                "value_eur": str(data.value_eur),
            },
        )
    return arrest


# Stages.


@dataclass
class StageData:
    kind: str
    on: date
    institution: Institution | None = None
    persons: Sequence[Suspect] = ()
    external_id: str = ""


def stage_add(*, actor: User, proceeding: Proceeding, data: StageData) -> StageEvent:
    """Record a step; the institution handling it (default: the actor's) can then see
    the proceeding. Sending to court names the persons sent."""
    require_editor(actor, proceeding)
    if data.kind not in StageKind.values:
        raise ValidationError({"kind": _("Unknown code “%(value)s”.") % {"value": data.kind}})
    _check_date("on", data.on, not_before=proceeding.started_on)
    institution = data.institution or actor.institution
    assert institution is not None  # justice users always have one
    kinds = STAGE_INSTITUTION_KINDS.get(data.kind)
    if kinds and institution.kind not in kinds:
        raise ValidationError(
            {"institution": _("This stage is handled by another kind of institution.")}
        )
    needed = EXAMINATION_NEEDS.get(data.kind)
    if needed and not proceeding.stages.filter(kind=needed, on__lte=data.on).exists():
        raise ValidationError(
            {"kind": _("Record first that the court received the case (on or before this date).")}
        )
    for person in data.persons:
        if person.proceeding_id != proceeding.pk:
            raise ValidationError({"persons": _("The person is not in this proceeding.")})
    if data.kind == StageKind.SENT_TO_PROSECUTION and not data.persons:
        raise ValidationError({"persons": _("Mark the persons sent to court.")})
    with transaction.atomic():
        event = StageEvent.objects.create(
            proceeding=proceeding,
            kind=data.kind,
            on=data.on,
            institution=institution,
            external_id=data.external_id.strip(),
            recorded_by=actor,
        )
        event.persons.set(data.persons)
        audit_record(
            actor=actor,
            action=Action.CREATE,
            target=event,
            details={
                "proceeding": proceeding.number,
                "kind": data.kind,
                "persons": len(data.persons),
            },
        )
    return event


# Judgments.


@dataclass
class SentenceData:
    outcome: str
    section: str = ""
    deprivation_months: int | None = None
    deprivation_conditional: bool = False
    probation_months: int | None = None
    fine_eur: Decimal | None = None


def _validate_sentence(proceeding: Proceeding, data: SentenceData) -> str:
    if data.outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Unknown code “%(value)s”.") % {"value": data.outcome}})
    codes = proceeding.section_codes
    section = data.section.strip() or (codes[0] if codes else "")
    if data.outcome == Outcome.ACQUITTED:
        if data.deprivation_months or data.probation_months or data.fine_eur:
            raise ValidationError({"outcome": _("An acquittal carries no sentence.")})
        return section
    if section not in codes:
        raise ValidationError({"section": _("The section is not one of this proceeding's.")})
    if data.deprivation_months is not None:
        validators.months(
            data.deprivation_months, kind="deprivation_of_liberty", field="deprivation_months"
        )
    if data.deprivation_conditional and not data.deprivation_months:
        raise ValidationError(
            {"deprivation_conditional": _("A conditional sentence needs its duration.")}
        )
    if data.probation_months is not None:
        validators.months(data.probation_months, kind="probation", field="probation_months")
    if data.fine_eur is not None:
        data.fine_eur = validators.amount(data.fine_eur, allow_zero=False, field="fine_eur")
    if not (data.deprivation_months or data.probation_months or data.fine_eur):
        raise ValidationError({"outcome": _("Give the sentence of a convicted person.")})
    return section


def judgment_person_record(
    *,
    actor: User,
    proceeding: Proceeding,
    level: str,
    delivered_on: date,
    suspect: Suspect,
    sentence: SentenceData,
    court: Institution | None = None,
    external_id: str = "",
) -> JudgmentPerson:
    """Record what a judgment decided for one accused person (a judgment is found or
    created by its level and date). Recording it again replaces the earlier entry."""
    require_editor(actor, proceeding)
    if level not in CourtLevel.values:
        raise ValidationError({"level": _("Unknown code “%(value)s”.") % {"value": level}})
    _check_date("delivered_on", delivered_on, not_before=proceeding.started_on)
    if suspect.proceeding_id != proceeding.pk:
        raise ValidationError({"suspect": _("The person is not in this proceeding.")})
    court = court or actor.institution
    assert court is not None
    if court.kind != InstitutionKind.COURT:
        raise ValidationError({"court": _("Choose a court.")})
    section = _validate_sentence(proceeding, sentence)
    with transaction.atomic():
        judgment, _created = Judgment.objects.get_or_create(
            proceeding=proceeding,
            level=level,
            delivered_on=delivered_on,
            defaults={"court": court},
        )
        values: dict[str, Any] = {
            "outcome": sentence.outcome,
            "section": section,
            "deprivation_months": sentence.deprivation_months,
            "deprivation_conditional": sentence.deprivation_conditional,
            "probation_months": sentence.probation_months,
            "fine_eur": sentence.fine_eur,
            "external_id": external_id.strip(),
        }
        row, created = JudgmentPerson.objects.update_or_create(
            judgment=judgment, suspect=suspect, defaults=values
        )
        audit_record(
            actor=actor,
            action=Action.CREATE if created else Action.UPDATE,
            target=row,
            details={"proceeding": proceeding.number, "level": level, "outcome": sentence.outcome},
        )
    return row


# Non-punishment of victims.


@dataclass
class NonPunishmentData:
    legal_basis: str
    outcome: str
    decided_on: date
    offence: str = ""
    proceeding: Proceeding | None = None
    case: Case | None = None
    external_id: str = ""


def non_punishment_save(
    *, actor: User, data: NonPunishmentData, decision: NonPunishmentDecision | None = None
) -> NonPunishmentDecision:
    """A decision on an offence a victim committed while trafficked, by the actor's
    institution."""
    _require_justice_user(actor)
    if not can_change_non_punishment(actor, decision):
        raise PermissionDenied(_("Another institution recorded this decision."))
    bases = [s.code for s in get_profile().legal_sections if s.group == "non_punishment"]
    if data.legal_basis not in bases:
        raise ValidationError(
            {"legal_basis": _("Unknown code “%(value)s”.") % {"value": data.legal_basis}}
        )
    if data.outcome not in NonPunishmentOutcome.values:
        raise ValidationError({"outcome": _("Unknown code “%(value)s”.") % {"value": data.outcome}})
    _check_date("decided_on", data.decided_on)
    if data.proceeding is not None:
        require_editor(actor, data.proceeding)
    with transaction.atomic():
        created = decision is None
        if decision is None:
            decision = NonPunishmentDecision(institution=actor.institution, recorded_by=actor)
        decision.legal_basis = data.legal_basis
        decision.outcome = data.outcome
        decision.decided_on = data.decided_on
        decision.offence = data.offence.strip()
        decision.proceeding = data.proceeding
        decision.case = data.case
        decision.external_id = data.external_id.strip()
        validators.model_texts(decision)
        decision.save()
        audit_record(
            actor=actor,
            action=Action.CREATE if created else Action.UPDATE,
            target=decision,
            details={"legal_basis": data.legal_basis, "outcome": data.outcome},
        )
    return decision
