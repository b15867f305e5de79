"""Writes to the victim register. Each service is atomic, takes the acting user,
validates against the country profile, writes the case timeline and the audit log."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from thb.accounts.models import Institution, User
from thb.audit.models import Action
from thb.audit.services import audit_record
from thb.core import validators
from thb.core.bulk import ParentRows, PreparedInsert, join_inserts
from thb.core.changes import records_changed
from thb.core.codes import code_start, random_code
from thb.core.registry import identities_staged, identities_written
from thb.profiles import code_set, get_profile
from thb.screening.services import ScreeningInput, record_input
from thb.victims.models import (
    Case,
    CaseEvent,
    CaseExploitation,
    CasePlace,
    CaseStatus,
    CaseTransit,
    CaseVulnerability,
    DecisionKind,
    IdentificationDecision,
    Person,
    PersonIdentity,
    Sex,
)
from thb.victims.policy import CasePolicy
from thb.victims.rules import derived_form_columns, exploitation_key


@dataclass
class Identity:
    given_names: str = ""
    surname: str = ""
    personal_code: str = ""
    date_of_birth: date | None = None
    phone: str = ""
    email: str = ""
    address: str = ""


# The identity's fields in their order: the intake form's fields and the API's payload.
IDENTITY_FIELDS = tuple(item.name for item in dataclass_fields(Identity))


@dataclass
class ExploitationProfile:
    forms: Sequence[tuple[str, str]] = ()  # (form code, sector code or "")
    places: Sequence[tuple[str, str]] = ()  # (ISO country code, region code or "")
    recruitment_method: str = "unknown"
    exploitation_start: date | None = None
    exploitation_end: date | None = None
    primary_form_override: str = ""
    primary_form_override_reason: str = ""
    # Modus operandi: where the person was recruited online, the visa or posting route,
    # and the countries they were moved through (ISO codes, in the route's order).
    recruitment_platform: str = ""
    migration_route: str = ""
    transit: Sequence[str] = ()


@dataclass
class VictimProfile:
    sex: str = Sex.UNKNOWN
    citizenship: str = ""
    age_at_identification: int | None = None
    education: str = "unknown"
    vulnerabilities: Sequence[str] = ()  # profile: vulnerability_factors


@dataclass
class Intake:
    intake_date: date
    referral_channel: str
    referring_institution: Institution | None = None
    victim: VictimProfile = field(default_factory=VictimProfile)
    identity: Identity = field(default_factory=Identity)
    exploitation: ExploitationProfile = field(default_factory=ExploitationProfile)
    screening_notes: str = ""
    # A structured screening recorded with the case in the same transaction.
    screening: ScreeningInput | None = None
    external_id: str = ""
    # ISO code of the country where the victim was identified abroad ("" at home).
    identified_abroad_in: str = ""


@dataclass
class Decision:
    """An identification decision as entered (form) or transcribed (import)."""

    kind: str
    decided_on: date
    recognised: bool
    criteria_met: Sequence[str] = ()
    reasons: str = ""
    members: str = ""
    proceeding_reference: str = ""
    deciding_institution: Institution | None = None
    historical: bool = False
    """Transcribed from a historical register: criteria, members, proceeding number and
    reasons may be missing (they were not kept)."""


@dataclass
class CaseImport:
    """One case of a bulk import: the intake and, for a register, its decision and the
    injured-party status."""

    intake: Intake
    decision: Decision | None = None
    injured_party_on: date | None = None
    injured_party_proceeding: str = ""
    historical: bool = False


# Validation helpers: each raises ValidationError naming the field.

# The model's fixed choices as sets, built once (`Choices.values` builds a list per call,
# and these checks run for every row of a bulk import).
_SEXES = frozenset(Sex.values)
_DECISION_KINDS = frozenset(DecisionKind.values)


def _check_code(field_name: str, value: str, section: str, *, allow_blank: bool = False) -> None:
    if allow_blank and value == "":
        return
    if value not in code_set(section):
        raise ValidationError({field_name: _("Unknown code “%(value)s”.") % {"value": value}})


def _check_past(field_name: str, value: date | None) -> None:
    if value is not None:
        validators.past_date(value, field=field_name)


def _check_identity(
    identity: Identity, *, age: int | None, on: date | None, errors: validators.Collect
) -> None:
    """The personal code's format (as the profile gives it), the date of birth, and the
    age at identification against it. Normalises the code (spaces removed)."""
    with errors:
        validators.texts(
            {
                "given_names": (identity.given_names, "name"),
                "surname": (identity.surname, "name"),
                "phone": (identity.phone, "line"),
                "email": (identity.email, "line"),
                "address": (identity.address, "line"),
            }
        )
    with errors:
        identity.personal_code = validators.personal_code(
            identity.personal_code, field="personal_code"
        )
    with errors:
        _check_past("date_of_birth", identity.date_of_birth)
    if not errors.failed("personal_code", "date_of_birth"):
        with errors:
            validators.personal_code_fits_birth(identity.personal_code, identity.date_of_birth)
    if on is not None and not errors.failed("date_of_birth", "age_at_identification"):
        with errors:
            validators.age_fits_birth(age, date_of_birth=identity.date_of_birth, on=on)


def _check_victim(victim: VictimProfile, errors: validators.Collect) -> None:
    if victim.sex not in _SEXES:
        errors.add(ValidationError({"sex": _("Unknown code “%(value)s”.") % {"value": victim.sex}}))
    if victim.citizenship and not validators.is_country(victim.citizenship):
        errors.add(
            ValidationError(
                {"citizenship": _("Unknown country “%(value)s”.") % {"value": victim.citizenship}}
            )
        )
    if victim.age_at_identification is not None:
        with errors:
            validators.age(victim.age_at_identification, field="age_at_identification")
    with errors:
        _check_code("education", victim.education, "education_levels")


def _check_forms(profile_in: ExploitationProfile) -> set[str]:
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
    return seen


def _check_places(profile_in: ExploitationProfile) -> None:
    profile = get_profile()
    for country, region in profile_in.places:
        if not validators.is_country(country):
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


def _check_override(profile_in: ExploitationProfile) -> None:
    _check_code("primary_form_override", profile_in.primary_form_override, "exploitation_forms")
    if profile_in.primary_form_override not in {f for f, _s in profile_in.forms}:
        raise ValidationError(
            {"primary_form_override": _("The primary form must be one of the case's forms.")}
        )


def _check_exploitation(profile_in: ExploitationProfile, errors: validators.Collect) -> None:
    """Each independent rule of the exploitation profile; every failure is collected."""
    with errors:
        _check_forms(profile_in)
    with errors:
        _check_places(profile_in)
    with errors:
        _check_code("recruitment_method", profile_in.recruitment_method, "recruitment_methods")
    with errors:
        _check_past("exploitation_start", profile_in.exploitation_start)
    with errors:
        _check_past("exploitation_end", profile_in.exploitation_end)
    if (
        profile_in.exploitation_start
        and profile_in.exploitation_end
        and profile_in.exploitation_end < profile_in.exploitation_start
        and not errors.failed("exploitation_end")
    ):
        errors.add(ValidationError({"exploitation_end": _("The end is before the start.")}))
    with errors:
        validators.text(
            profile_in.primary_form_override_reason, field="primary_form_override_reason"
        )
    if profile_in.primary_form_override:
        with errors:
            _check_override(profile_in)
        if not profile_in.primary_form_override_reason.strip():
            errors.add(
                ValidationError(
                    {"primary_form_override_reason": _("Give the reason for overriding the rule.")}
                )
            )


# At most this many transit countries on one route (a route, not a travel diary).
MAX_TRANSIT = 10


def vulnerability_modus_check(
    victim: VictimProfile, exploitation: ExploitationProfile, errors: validators.Collect
) -> None:
    """The vulnerability factors and the modus operandi (recruitment platform, visa or
    posting route, transit countries): the one check of these fields, run by
    intake_check and profile_check, so by the intake and profile forms, the cases API
    and the victim-case import alike. Every failure is collected."""
    factors = code_set("vulnerability_factors")
    for code in victim.vulnerabilities:
        if code not in factors:
            errors.add(
                ValidationError(
                    {"vulnerabilities": _("Unknown code “%(value)s”.") % {"value": code}}
                )
            )
    if len(set(victim.vulnerabilities)) != len(victim.vulnerabilities):
        errors.add(
            ValidationError({"vulnerabilities": _("A vulnerability factor is listed twice.")})
        )
    with errors:
        _check_code(
            "recruitment_platform",
            exploitation.recruitment_platform,
            "recruitment_platforms",
            allow_blank=True,
        )
    with errors:
        _check_code(
            "migration_route", exploitation.migration_route, "migration_routes", allow_blank=True
        )
    for country in exploitation.transit:
        if not validators.is_country(country):
            errors.add(
                ValidationError({"transit": _("Unknown country “%(value)s”.") % {"value": country}})
            )
    if len(set(exploitation.transit)) != len(exploitation.transit):
        errors.add(ValidationError({"transit": _("A transit country is listed twice.")}))
    if len(exploitation.transit) > MAX_TRANSIT:
        errors.add(
            ValidationError(
                {
                    "transit": _("At most %(n)s transit countries can be recorded.")
                    % {"n": MAX_TRANSIT}
                }
            )
        )


def _complete_age(victim: VictimProfile, identity: Identity | None, on: date) -> None:
    """The age at identification, where it is missing, from the date of birth (the
    completed years on the intake date): a minor must count as a minor."""
    birth = identity.date_of_birth if identity is not None else None
    if victim.age_at_identification is None and birth is not None and birth <= on:
        victim.age_at_identification = validators.age_on(birth, on)


def intake_check(intake: Intake, errors: validators.Collect | None = None) -> None:
    """Every rule of an intake, for the intake form (through case_create), the API and
    the import: codes, dates, the identity's formats and the age against the date of
    birth. Completes the age from the date of birth where it is missing and normalises
    the personal code. Runs every independent rule and raises one ValidationError
    naming each failing field. With `errors` (a form's collector, where some fields
    already failed and `intake_date` may be missing), adds to it and does not raise."""
    own = errors is None
    errors = errors or validators.Collect()
    on: date | None = intake.intake_date
    if on is not None:
        with errors:
            _check_past("intake_date", on)
    if not errors.failed("referral_channel"):
        with errors:
            _check_code("referral_channel", intake.referral_channel, "referral_channels")
    if on is not None and not errors.failed("intake_date"):
        _complete_age(intake.victim, intake.identity, on)
    else:
        on = None
    with errors:
        abroad_check(intake.identified_abroad_in)
    _check_victim(intake.victim, errors)
    _check_identity(intake.identity, age=intake.victim.age_at_identification, on=on, errors=errors)
    _check_exploitation(intake.exploitation, errors)
    vulnerability_modus_check(intake.victim, intake.exploitation, errors)
    with errors:
        validators.text(intake.screening_notes, field="screening_notes")
    if own:
        errors.raise_if_any()


def abroad_check(country: str) -> None:
    """The country where a victim was identified abroad: a known country other than
    the profile's own (blank: identified at home)."""
    if not country:
        return
    if not validators.is_country(country):
        raise ValidationError(
            {"identified_abroad_in": _("Unknown country “%(value)s”.") % {"value": country}}
        )
    if country == get_profile().country.code:
        raise ValidationError(
            {
                "identified_abroad_in": _("Choose a country other than %(country)s.")
                % {"country": country}
            }
        )


def exploitation_required(forms: Sequence[str]) -> None:
    """A recognised victim has at least one form of exploitation: the report counts
    victims by form, and the primary form is derived from them. Checked where a case
    becomes recognised (a decision, an imported decision) and where a recognised
    case's profile changes."""
    if not forms:
        raise ValidationError(
            {
                "forms": _(
                    "A recognised victim needs a form of exploitation: record at least "
                    "one in the exploitation profile."
                )
            }
        )


def decision_check(
    decision: Decision,
    *,
    intake_date: date,
    forms: Sequence[str] | None,
    errors: validators.Collect | None = None,
) -> list[str]:
    """Every rule of an identification decision (the decision form and the import);
    `forms` are the case's forms of exploitation (None: not known here, not checked).
    Returns the commission members one a line. Runs every independent rule and raises
    one ValidationError naming each failing field (with `errors`, adds to it instead)."""
    own = errors is None
    errors = errors or validators.Collect()
    members = [line.strip() for line in decision.members.splitlines() if line.strip()]
    kind_known = decision.kind in _DECISION_KINDS
    if decision.kind and not kind_known:
        errors.add(
            ValidationError({"kind": _("Unknown code “%(value)s”.") % {"value": decision.kind}})
        )
    if decision.decided_on is not None:
        with errors:
            _check_past("decided_on", decision.decided_on)
        if decision.decided_on < intake_date and not errors.failed("decided_on"):
            errors.add(
                ValidationError({"decided_on": _("The decision cannot precede the intake.")})
            )
    for code in decision.criteria_met:
        with errors:
            _check_code("criteria_met", code, "identification_criteria")
    with errors:
        validators.texts(
            {"reasons": (decision.reasons, "notes"), "members": (decision.members, "notes")}
        )
    if not decision.historical and kind_known:
        commission = decision.kind == DecisionKind.COMMISSION
        if commission and not members:
            errors.add(ValidationError({"members": _("List the commission members who decided.")}))
        if not commission and not decision.proceeding_reference.strip():
            errors.add(
                ValidationError({"proceeding_reference": _("Give the criminal proceeding number.")})
            )
        if commission and decision.recognised and not decision.criteria_met:
            errors.add(ValidationError({"criteria_met": _("Mark the criteria the person meets.")}))
    if not decision.historical and decision.recognised is False and not decision.reasons.strip():
        errors.add(
            ValidationError({"reasons": _("Give the reasons for not recognising the person.")})
        )
    if decision.recognised and forms is not None:
        with errors:
            exploitation_required(forms)
    if own:
        errors.raise_if_any()
    return members


def injured_party_check(
    recognised_on: date, proceeding_reference: str, *, historical: bool = False
) -> None:
    """The injured-party status (the routing form and the import)."""
    _check_past("injured_party_on", recognised_on)
    if not historical and not proceeding_reference.strip():
        raise ValidationError(
            {"injured_party_proceeding": _("Give the criminal proceeding number.")}
        )


def _new_person_code(year: int) -> str:
    while True:
        code = random_code("person", year)
        if not Person.objects.filter(code=code).exists():
            return code


def _event(case: Case, actor: User | None, event: str, **data: Any) -> None:
    data = {
        key: value.isoformat() if isinstance(value, date) else value for key, value in data.items()
    }
    CaseEvent.objects.create(case=case, actor=actor, kind=event, data=data)


def case_event_record(*, case: Case, actor: User | None, kind: str, data: dict[str, Any]) -> None:
    """A timeline event written by another app (kind "<app>.<step>", codes and values
    only; its label is declared with register_case_links). Runs in the caller's
    transaction; the caller audits its own write."""
    _event(case, actor, kind, **data)


def case_proceeding_link(
    *,
    actor: User,
    case: Case,
    institution: Institution,
    proceeding_number: str,
    recognised_on: date,
) -> None:
    """A criminal proceeding (of another app) recognised the case's person as an injured
    party: fill the case's routing and injured-party fields where they are empty, so the
    process director can see the victim. Never overwrites. The timeline gets the
    recognition once: not again when the case already records it (the same day in the
    same proceeding, e.g. entered from the case). Runs in the caller's transaction; the
    caller audits its own write."""
    already_recorded = (
        case.injured_party_on == recognised_on
        and case.injured_party_proceeding.strip() == proceeding_number
    )
    fields = []
    if case.proceeding_institution_id is None and not case.proceeding_reference:
        case.proceeding_institution = institution
        case.proceeding_reference = proceeding_number
        fields += ["proceeding_institution", "proceeding_reference"]
    if case.injured_party_on is None and not case.injured_party_proceeding:
        case.injured_party_on = recognised_on
        case.injured_party_proceeding = proceeding_number
        fields += ["injured_party_on", "injured_party_proceeding"]
    if fields:
        case.save(update_fields=[*fields, "updated_at"])
    if not already_recorded:
        _event(case, actor, "injured_party", on=recognised_on, proceeding=proceeding_number)


def _exploitation_columns(exploitation: ExploitationProfile) -> dict[str, Any]:
    """The case's exploitation columns, the derived ones (primary form, the report's
    combination key) included: one place for the single and the bulk writes."""
    primary, key = derived_form_columns(exploitation.forms, get_profile())
    return {
        "recruitment_method": exploitation.recruitment_method,
        "recruitment_platform": exploitation.recruitment_platform,
        "migration_route": exploitation.migration_route,
        "exploitation_start": exploitation.exploitation_start,
        "exploitation_end": exploitation.exploitation_end,
        "primary_form": primary,
        "exploitation_key": key,
        "primary_form_override": exploitation.primary_form_override,
        "primary_form_override_reason": (
            exploitation.primary_form_override_reason if exploitation.primary_form_override else ""
        ),
    }


def _set_exploitation_fields(case: Case, exploitation: ExploitationProfile) -> None:
    for name, value in _exploitation_columns(exploitation).items():
        setattr(case, name, value)


def _apply_exploitation(case: Case, exploitation: ExploitationProfile) -> None:
    _set_exploitation_fields(case, exploitation)
    case.forms.all().delete()
    case.places.all().delete()
    case.transits.all().delete()
    CaseExploitation.objects.bulk_create(
        CaseExploitation(case=case, form=f, sector=s) for f, s in exploitation.forms
    )
    CasePlace.objects.bulk_create(
        CasePlace(case=case, country=c, region=r) for c, r in exploitation.places
    )
    CaseTransit.objects.bulk_create(
        CaseTransit(case=case, position=n, country=c)
        for n, c in enumerate(exploitation.transit, start=1)
    )
    # bulk_create sends no signal (the case's own save above did, but say it here too,
    # where the rows are written).
    records_changed()


def _apply_vulnerabilities(case: Case, victim: VictimProfile) -> None:
    case.vulnerabilities.all().delete()
    CaseVulnerability.objects.bulk_create(
        CaseVulnerability(case=case, factor=code) for code in victim.vulnerabilities
    )


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
    intake_check(intake)
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
            identified_abroad_in=intake.identified_abroad_in,
        )
        case.full_clean(exclude=["person", "primary_form"])
        case.save()
        _apply_exploitation(case, intake.exploitation)
        identities_written([person.pk], [intake.identity])
        _apply_vulnerabilities(case, intake.victim)
        case.save(
            update_fields=[
                "recruitment_method",
                "recruitment_platform",
                "migration_route",
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
            **({"abroad": intake.identified_abroad_in} if intake.identified_abroad_in else {}),
        )
        audit_record(
            actor=actor,
            action=Action.CREATE,
            target=case,
            details={"code": person.code, "fields": "intake"},
        )
        if intake.screening is not None:
            # Validated by the screening service; an error rolls the intake back.
            record_input(actor, intake.screening, case=case)
    return case


def profile_check(
    case: Case,
    victim: VictimProfile,
    exploitation: ExploitationProfile,
    identity: Identity | None,
    errors: validators.Collect | None = None,
) -> None:
    """Every rule of a profile edit, collected (with `errors`, added to it instead of
    raised). Completes the age from the date of birth and normalises the personal code."""
    own = errors is None
    errors = errors or validators.Collect()
    _complete_age(victim, identity, case.intake_date)
    _check_victim(victim, errors)
    _check_exploitation(exploitation, errors)
    vulnerability_modus_check(victim, exploitation, errors)
    if case.status == CaseStatus.RECOGNISED:
        with errors:
            exploitation_required([form for form, _sector in exploitation.forms])
    if identity is not None:
        _check_identity(
            identity, age=victim.age_at_identification, on=case.intake_date, errors=errors
        )
    if own:
        errors.raise_if_any()


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
    profile_check(case, victim, exploitation, identity)
    if screening_notes is not None:
        validators.text(screening_notes, field="screening_notes")
    with transaction.atomic():
        person = case.person
        person.sex = victim.sex
        person.citizenship = victim.citizenship
        person.save(update_fields=["sex", "citizenship"])
        if identity is not None:
            _set_identity(person, identity)
            identities_written([person.pk], [identity])
        case.age_at_identification = victim.age_at_identification
        case.education = victim.education
        if screening_notes is not None:
            case.screening_notes = screening_notes
        _apply_exploitation(case, exploitation)
        _apply_vulnerabilities(case, victim)
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
    member_lines = decision_check(
        Decision(
            kind=kind,
            decided_on=decided_on,
            recognised=recognised,
            criteria_met=criteria_met,
            reasons=reasons,
            members=members,
            proceeding_reference=proceeding_reference,
        ),
        intake_date=case.intake_date,
        forms=[row.form for row in case.forms.all()],
    )
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
    injured_party_check(recognised_on, proceeding_reference)
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


# Bulk import of cases (thb/interop/imports.py): every row is checked by the same
# functions as the intake and decision forms, staged outside the write transaction
# (person codes drawn, identities encrypted, derived columns computed), then written
# with a few bulk inserts. The import writes one audit event for all of them.


@dataclass
class _StagedCase:
    person: dict[str, Any]
    """The Person row's values, as the Case's and the children's below."""
    identity: dict[str, Any] | None
    """The PersonIdentity row's values (encrypted when the insert is prepared)."""
    case: dict[str, Any]
    children: list[tuple[type[Any], dict[str, Any]]]
    """The case's forms, places, decision and timeline entries, as (model, values by
    attribute name): rows of plain values, cheaper than model instances, converted
    by the model's fields when prepared (case_id set on write)."""
    historical: bool
    injured_party: bool


@dataclass
class StagedCases:
    """Cases checked by `cases_import_stage`, ready for `cases_import_write`: every row
    of every table converted to its stored form (identities encrypted) beforehand."""

    institution_id: int
    rows: list[_StagedCase] = field(default_factory=list)
    inserts: list[PreparedInsert] = field(default_factory=list)
    decisions: int = 0
    cases: PreparedInsert | None = None
    """The cases' insert: their new ids, in the rows' order, once written."""
    years: set[int] = field(default_factory=set)
    historical: int = 0
    injured_party: int = 0
    identities: list[Identity] = field(default_factory=list)
    """The identities of the rows, in order (given to the identity stagers)."""

    def prepare(self) -> None:
        """Convert every row to its stored form; afterwards only parameters are kept
        (the persons' and cases' new ids are linked to their rows on insert)."""
        positions = list(range(len(self.rows)))
        persons = PreparedInsert(Person, [row.person for row in self.rows], want_ids=True)
        cases = PreparedInsert(
            Case,
            [row.case for row in self.rows],
            links={"person_id": ParentRows(persons, positions)},
            want_ids=True,
        )
        with_identity = [at for at, row in enumerate(self.rows) if row.identity is not None]
        by_model: dict[type[Any], tuple[list[dict[str, Any]], list[int]]] = {}
        for at, row in enumerate(self.rows):
            for model, child in row.children:
                children, parents = by_model.setdefault(model, ([], []))
                children.append(child)
                parents.append(at)
        self.inserts = [
            persons,
            PreparedInsert(
                PersonIdentity,
                [row.identity for row in self.rows if row.identity is not None],
                links={"person_id": ParentRows(persons, with_identity)},
            ),
            cases,
            # What other apps keep of the new identities (record linkage's keys).
            *identities_staged(self.institution_id, persons, self.identities),
        ]
        for model in (
            CaseExploitation,
            CasePlace,
            CaseVulnerability,
            CaseTransit,
            IdentificationDecision,
            CaseEvent,
        ):
            children, parents = by_model.get(model, ([], []))
            self.inserts.append(
                PreparedInsert(model, children, links={"case_id": ParentRows(cases, parents)})
            )
        self.cases = cases
        self.decisions = len(by_model.get(IdentificationDecision, ([], []))[0])
        self.years = {row.case["intake_date"].year for row in self.rows}
        self.historical = sum(1 for row in self.rows if row.historical)
        self.injured_party = sum(1 for row in self.rows if row.injured_party)
        self.rows = []
        self.identities = []

    @classmethod
    def join(cls, parts: Sequence[StagedCases]) -> StagedCases:
        """Cases staged in parts (worker processes, each a part of one file) as one,
        in the parts' order; the parts' inserts are joined without converting again."""
        if not parts:
            raise ValueError("no parts")
        institution_ids = {part.institution_id for part in parts}
        if len(institution_ids) != 1 or any(part.rows for part in parts):
            raise ValueError("the parts are of different institutions or not prepared")
        inserts = join_inserts([part.inserts for part in parts])
        first = parts[0]
        return cls(
            institution_id=first.institution_id,
            inserts=inserts,
            decisions=sum(part.decisions for part in parts),
            cases=inserts[first.inserts.index(first.cases)] if first.cases else None,
            years=set().union(*(part.years for part in parts)),
            historical=sum(part.historical for part in parts),
            injured_party=sum(part.injured_party for part in parts),
        )


@dataclass
class CasesWritten:
    case_ids: list[int]
    decisions: int
    historical: int
    injured_party: int


def _draw_person_codes(years: Sequence[int], taken: set[str]) -> list[str]:
    """New person codes for intakes of these years, unique among `taken` (which they
    join) and each other. No database access: a worker process stages a part of an
    import; `cases_import_join` makes them unique among the stored codes."""
    codes = []
    for year in years:
        while True:
            code = random_code("person", year)
            if code not in taken:
                taken.add(code)
                codes.append(code)
                break
    return codes


def _unique_person_codes(staged: StagedCases) -> int:
    """Redraw the staged persons' codes that are stored already or drawn twice (by two
    parts of an import): one query per year of the intakes; how many were redrawn."""
    persons = staged.inserts[0] if staged.inserts else None
    if persons is None or persons.model is not Person or not persons.rows:
        return 0
    at = persons.columns.index("code")
    taken: set[str] = set()
    for year in sorted(staged.years):
        taken.update(
            Person.objects.filter(code__startswith=code_start("person", year)).values_list(
                "code", flat=True
            )
        )
    redraw: list[list[Any]] = []
    for row in persons.rows:
        if row[at] in taken:
            redraw.append(row)
        else:
            taken.add(row[at])
    for row in redraw:
        row[at] = _draw_person_codes([int(row[at][4:8])], taken)[0]
    return len(redraw)


def _identity_row(identity: Identity) -> dict[str, Any]:
    # As _set_identity stores it (encrypted when the insert is prepared).
    return {
        "given_names": identity.given_names.strip(),
        "surname": identity.surname.strip(),
        "personal_code": identity.personal_code.strip(),
        "date_of_birth": identity.date_of_birth.isoformat() if identity.date_of_birth else "",
        "phone": identity.phone.strip(),
        "email": identity.email.strip(),
        "address": identity.address.strip(),
    }


def cases_import_stage(
    *, actor: User, items: Sequence[CaseImport]
) -> tuple[dict[int, ValidationError], StagedCases]:
    """Check every case of an import (outside any transaction) with the intake's and
    the decision's rules, and stage those that pass. Returns the errors by the item's
    position and the staged cases, converted to their stored form (identities
    encrypted). No database access: a large import stages its parts in worker
    processes (thb/interop/parallel.py). `cases_import_join` then joins the parts, and
    `cases_import_write` writes them, only if there is no error. External ids already
    in THB are the caller's to leave out (it counts them as existing)."""
    if not CasePolicy.can_create(actor) or actor.institution_id is None:
        raise PermissionDenied(_("Only a caseworker of an institution records an intake."))
    errors: dict[int, ValidationError] = {}
    checked: list[tuple[CaseImport, list[str]]] = []
    for index, item in enumerate(items):
        try:
            members = _case_import_check(actor, item)
        except ValidationError as exc:
            errors[index] = exc
            continue
        checked.append((item, members))
    staged = StagedCases(institution_id=actor.institution_id)
    if errors:
        return errors, staged
    # Unique within these cases; `cases_import_join` makes them unique among the stored
    # codes (and other parts').
    codes = _draw_person_codes([item.intake.intake_date.year for item, _m in checked], set())
    for (item, members), code in zip(checked, codes, strict=True):
        staged.rows.append(_stage_case(staged.institution_id, actor, item, members, code))
        staged.identities.append(item.intake.identity)
    staged.prepare()
    return errors, staged


def cases_import_join(*, actor: User, parts: Sequence[StagedCases]) -> StagedCases:
    """The cases `cases_import_stage` staged, in one part or in several (worker
    processes, each staging a part of one file without database access), joined for
    `cases_import_write`: the person codes made unique among the stored ones and across
    the parts (a few queries, none per case)."""
    if not CasePolicy.can_create(actor) or actor.institution_id is None:
        raise PermissionDenied(_("Only a caseworker of an institution records an intake."))
    staged = parts[0] if len(parts) == 1 else StagedCases.join(parts)
    if staged.institution_id != actor.institution_id:
        raise PermissionDenied(_("Only a caseworker of an institution records an intake."))
    _unique_person_codes(staged)
    return staged


def _case_import_check(actor: User, item: CaseImport) -> list[str]:
    intake_check(item.intake)
    members: list[str] = []
    if item.decision is not None:
        if not CasePolicy.can_import_decision(actor, item.decision.kind, item.decision.historical):
            raise ValidationError(
                {
                    "kind": _(
                        "A process director's decision is recorded by the process director; "
                        "an import carries it only from a historical register."
                    )
                }
            )
        members = decision_check(
            item.decision,
            intake_date=item.intake.intake_date,
            forms=[form for form, _sector in item.intake.exploitation.forms],
        )
    if item.injured_party_on is not None:
        injured_party_check(
            item.injured_party_on, item.injured_party_proceeding, historical=item.historical
        )
    return members


def _stage_case(
    institution_id: int, actor: User, item: CaseImport, members: list[str], code: str
) -> _StagedCase:
    intake = item.intake
    person = {"code": code, "sex": intake.victim.sex, "citizenship": intake.victim.citizenship}
    referring = intake.referring_institution
    case: dict[str, Any] = {
        "institution_id": institution_id,
        "intake_date": intake.intake_date,
        "referral_channel": intake.referral_channel,
        "referring_institution_id": referring.pk if referring is not None else None,
        "age_at_identification": intake.victim.age_at_identification,
        "education": intake.victim.education,
        "screening_notes": intake.screening_notes,
        "external_id": intake.external_id,
        "historical": item.historical,
        "injured_party_on": item.injured_party_on,
        "injured_party_proceeding": item.injured_party_proceeding.strip(),
        **_exploitation_columns(intake.exploitation),
    }
    exploitation = intake.exploitation
    children: list[tuple[type[Any], dict[str, Any]]] = [
        (CaseExploitation, {"form": f, "sector": s}) for f, s in exploitation.forms
    ]
    children += [(CasePlace, {"country": c, "region": r}) for c, r in exploitation.places]
    children += [(CaseVulnerability, {"factor": f}) for f in intake.victim.vulnerabilities]
    children += [
        (CaseTransit, {"position": n, "country": c})
        for n, c in enumerate(exploitation.transit, start=1)
    ]
    children.append(
        (
            CaseEvent,
            {
                "actor_id": actor.pk,
                "kind": "intake",
                "data": {
                    "referral_channel": intake.referral_channel,
                    "intake_date": intake.intake_date.isoformat(),
                    "imported": True,
                    "historical": item.historical,
                },
            },
        )
    )
    decision = item.decision
    if decision is not None:
        # The case as decision_record leaves it, and the same decision and timeline rows.
        status = CaseStatus.RECOGNISED if decision.recognised else CaseStatus.NOT_RECOGNISED
        case["status"] = status
        case["decided_on"] = decision.decided_on
        if decision.kind == DecisionKind.COMMISSION:
            case["submitted_to_commission_on"] = decision.decided_on
        children.append(
            (
                IdentificationDecision,
                {
                    "kind": decision.kind,
                    "decided_on": decision.decided_on,
                    "recognised": decision.recognised,
                    "criteria_met": list(decision.criteria_met),
                    "reasons": decision.reasons.strip(),
                    "members": "\n".join(members),
                    "proceeding_reference": decision.proceeding_reference.strip(),
                    "deciding_institution_id": (
                        decision.deciding_institution.pk if decision.deciding_institution else None
                    ),
                    "historical": decision.historical,
                    "recorded_by_id": actor.pk,
                },
            )
        )
        children.append(
            (
                CaseEvent,
                {
                    "actor_id": actor.pk,
                    "kind": "decision",
                    "data": {
                        "decided_by": decision.kind,
                        "recognised": decision.recognised,
                        "decided_on": decision.decided_on.isoformat(),
                        "previous_status": CaseStatus.POTENTIAL,
                        "status": status,
                        "historical": decision.historical,
                    },
                },
            )
        )
    if item.injured_party_on is not None:
        children.append(
            (
                CaseEvent,
                {
                    "actor_id": actor.pk,
                    "kind": "injured_party",
                    "data": {
                        "on": item.injured_party_on.isoformat(),
                        "proceeding": case["injured_party_proceeding"],
                    },
                },
            )
        )
    return _StagedCase(
        person,
        _identity_row(intake.identity),
        case,
        children,
        item.historical,
        item.injured_party_on is not None,
    )


def cases_import_write(*, actor: User, staged: StagedCases) -> CasesWritten:
    """Write the staged cases with bulk inserts, in the caller's transaction (the import
    engine's one short transaction, with its one audit event): the persons, their
    encrypted identities, the cases with their derived columns, forms, places,
    decisions and the timeline entries the single-case services write. Everything was
    built and encrypted before; here only the ids are linked."""
    if not CasePolicy.can_create(actor) or actor.institution_id != staged.institution_id:
        raise PermissionDenied(_("Only a caseworker of an institution records an intake."))
    for insert in staged.inserts:
        insert.insert()
    # Bulk inserts send no signal: the stored figures of the cases' years (and later
    # years, where their decisions fall) hear of them here.
    records_changed(staged.years)
    return CasesWritten(
        case_ids=list(staged.cases.ids) if staged.cases is not None else [],
        decisions=staged.decisions,
        historical=staged.historical,
        injured_party=staged.injured_party,
    )


def cases_link(*, actor: User | None, cases: Sequence[Case]) -> int:
    """Record that these cases (at different institutions) are one person's, so that
    the statistics count the person once (victims.figures). Called by the record
    linkage service once both owners confirmed (thb/linkage/services.py checks the
    confirmations); `actor` is the owner who confirmed last (None: a system run).
    Every case of the groups the cases already belong to joins the one group.
    Returns the group's id (its lowest case id)."""
    if len(cases) < 2:
        raise ValidationError(_("Linking needs two cases or more."))
    if actor is not None and not any(CasePolicy(actor, case).can_edit for case in cases):
        raise PermissionDenied(_("Only an owner of one of the cases links them."))
    with transaction.atomic():
        ids = {case.pk for case in cases}
        groups = {case.linked_group for case in cases if case.linked_group is not None}
        members = Case.objects.filter(Q(pk__in=ids) | Q(linked_group__in=groups))
        group = min([*ids, *groups])
        changed = list(members.exclude(linked_group=group).select_for_update())
        for case in changed:
            case.linked_group = group
        Case.objects.bulk_update(changed, ["linked_group"])
        for case in changed:
            audit_record(
                actor=actor,
                action=Action.UPDATE,
                target=case,
                details={"fields": "linked_group", "group": group},
            )
        records_changed()
    return group


def identities_rewritten(*, batch: int = 2000) -> int:
    """Tell the identity listeners every stored identity again, as if just written:
    after a field-key rotation the record-linkage keys are recomputed (`thb linkage
    rekey`). A system job: one audit event names the purpose and the count."""
    total = 0
    fields = ("person_id", "given_names", "surname", "personal_code", "date_of_birth")
    with transaction.atomic():
        rows = PersonIdentity.objects.order_by("person_id").values_list(*fields)
        person_ids: list[int] = []
        identities: list[Identity] = []
        for person_id, given, surname, code, born in rows.iterator(chunk_size=batch):
            person_ids.append(person_id)
            identities.append(
                Identity(
                    given_names=given,
                    surname=surname,
                    personal_code=code,
                    date_of_birth=date.fromisoformat(born) if born else None,
                )
            )
            if len(person_ids) >= batch:
                identities_written(person_ids, identities)
                total += len(person_ids)
                person_ids, identities = [], []
        if person_ids:
            identities_written(person_ids, identities)
            total += len(person_ids)
        audit_record(
            actor=None,
            action=Action.READ,
            object_type="victims.personidentity",
            details={"purpose": "linkage_rekey", "count": total},
        )
    return total
