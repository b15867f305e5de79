"""Bulk-import types of criminal proceedings (see thb/interop/registry.py).

`justice_proceedings` is keyed on the proceeding number. The other types are keyed on
the institution's `external_id` within a proceeding and name the proceeding by its
number; a row whose proceeding is not in THB yet registers it from the row's
`proceeding_sections` and `proceeding_started_on` (the importing institution then
investigates it), so a court or prosecutor can import its own part first. Judgment
rows likewise register the person (`person_external_id`) if the file of suspects has
not been imported. Every write goes through thb.justice.services, so the rules and
the scope are those of the pages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thb.accounts.models import Institution, Role, User
from thb.core import validators
from thb.interop.parsers import (
    parse_bool,
    parse_country,
    parse_date,
    parse_decimal,
    parse_integer,
    parse_list,
    parse_text,
)
from thb.interop.registry import Column, ImportType, register
from thb.interop.selectors import submission_is_locked
from thb.justice import services
from thb.justice.models import (
    CourtLevel,
    InjuredParty,
    JudgmentPerson,
    NonPunishmentDecision,
    NonPunishmentOutcome,
    Outcome,
    Proceeding,
    PropertyArrest,
    StageEvent,
    StageKind,
    Suspect,
)
from thb.justice.policy import is_justice_user, proceeding_scope
from thb.justice.selectors import case_for_linking
from thb.profiles import get_profile
from thb.victims.models import Sex

ROLES = (Role.PROCESS_DIRECTOR, Role.REPORTER)
EXAMPLE_NUMBER = "11816000120"
EXAMPLE_DATE = "2020-02-03"


def _profile_codes(section: str) -> Callable[[], list[str]]:
    return lambda: get_profile().codes(section)


def _property_kinds() -> list[str]:
    return [k.code for k in get_profile().justice.property_kinds]


def _non_punishment_bases() -> list[str]:
    return [s.code for s in get_profile().legal_sections if s.group == "non_punishment"]


def _choices(values: list[str]) -> Callable[[], list[str]]:
    return lambda: list(values)


@contextmanager
def _columns(mapping: dict[str, str]) -> Iterator[None]:
    """Re-key a service's errors (named after its fields) by the file's columns."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError(
            {mapping.get(field, field): messages for field, messages in exc.message_dict.items()}
        ) from None


def _check_unlocked(actor: User, column: str, on: date) -> None:
    if submission_is_locked(actor.institution, on.year):
        raise ValidationError(
            {
                column: _(
                    "The institution's submission for %(year)d is accepted; its records are locked."
                )
                % {"year": on.year}
            }
        )


# Proceedings.


def _proceeding_columns(prefix: str = "", required: bool = True) -> list[Column]:
    return [
        Column(
            f"{prefix}sections",
            gettext_lazy(
                "Criminal Law sections (profile legal_sections codes, e.g. 154.1), separated by ;"
            ),
            required=required,
            parse=parse_list,
            example="154.1",
        ),
        Column(
            f"{prefix}started_on",
            gettext_lazy("Date the proceeding started (YYYY-MM-DD or DD.MM.YYYY)"),
            required=required,
            parse=parse_date,
            example=EXAMPLE_DATE,
        ),
    ]


def _justice_type(
    *, institution_kind: str = "state_police", key_column: str = "external_id", **fields: Any
) -> ImportType:
    """An import type of the justice records: for police, prosecutors and courts only
    (is_justice_user), idempotent on the key column. `institution_kind` is the kind of
    institution the generic import tests create the importing user at."""
    return ImportType(
        roles=ROLES,
        permits=is_justice_user,
        key_column=key_column,
        extra={"institution_kind": institution_kind},
        **fields,
    )


def _find_or_register(actor: User, row: dict[str, Any]) -> Proceeding:
    """The row's proceeding: found among those the actor works on, or registered from
    the row's proceeding_* columns."""
    number = row["proceeding_number"]
    scope = proceeding_scope(actor)
    if scope is not None:
        found = Proceeding.objects.filter(scope, number=number).first()
        if found is not None:
            return found
    if not row.get("proceeding_sections") or row.get("proceeding_started_on") is None:
        raise ValidationError(
            {
                "proceeding_number": _(
                    "No such proceeding of yours; give proceeding_sections and "
                    "proceeding_started_on to register it."
                )
            }
        )
    with _columns(
        {
            "number": "proceeding_number",
            "sections": "proceeding_sections",
            "started_on": "proceeding_started_on",
        }
    ):
        return services.proceeding_create(
            actor=actor,
            data=services.ProceedingData(
                number=number,
                sections=row["proceeding_sections"],
                started_on=row["proceeding_started_on"],
            ),
        )


def _proceeding_ref_columns() -> list[Column]:
    return [
        Column(
            "proceeding_number",
            gettext_lazy("Number of the criminal proceeding"),
            parse=parse_text(40),
            example=EXAMPLE_NUMBER,
        ),
        *_proceeding_columns("proceeding_", required=False),
    ]


def save_proceeding(actor: User, row: dict[str, Any]) -> tuple[models.Model, bool]:
    _check_unlocked(actor, "started_on", row["started_on"])
    data = services.ProceedingData(
        number=row["number"],
        sections=row["sections"],
        started_on=row["started_on"],
        exploitation_form=row.get("exploitation_form") or "",
        sector=row.get("sector") or "",
        notes=row.get("notes") or "",
    )
    existing = Proceeding.objects.filter(number=row["number"]).first()
    if existing is not None:
        return services.proceeding_update(actor=actor, proceeding=existing, data=data), False
    return services.proceeding_create(actor=actor, data=data), True


register(
    _justice_type(
        name="justice_proceedings",
        label=gettext_lazy("Criminal proceedings"),
        description=gettext_lazy("One row per criminal proceeding, keyed on its number."),
        columns=[
            Column(
                "number",
                gettext_lazy("Number of the criminal proceeding"),
                parse=parse_text(40),
                example=EXAMPLE_NUMBER,
            ),
            *_proceeding_columns(),
            Column(
                "exploitation_form",
                gettext_lazy("Form of exploitation (profile code)"),
                required=False,
                codes=_profile_codes("exploitation_forms"),
                example="labour",
            ),
            Column(
                "sector",
                gettext_lazy("Labour sector (profile code), for labour exploitation"),
                required=False,
                codes=_profile_codes("labour_sectors"),
                example="construction",
            ),
            Column("notes", gettext_lazy("Free text"), required=False, parse=parse_text("notes")),
        ],
        save_row=save_proceeding,
        key_column="number",
        count_for=lambda institution, year: Proceeding.objects.filter(
            institution=institution, started_on__year=year
        ).count(),
    )
)


# Suspects and accused.


def save_suspect(actor: User, row: dict[str, Any]) -> tuple[models.Model, bool]:
    _check_unlocked(actor, "suspected_on", row["suspected_on"])
    proceeding = _find_or_register(actor, row)
    existing = Suspect.objects.filter(proceeding=proceeding, external_id=row["external_id"]).first()
    with _columns({}):
        suspect = services.suspect_save(
            actor=actor,
            proceeding=proceeding,
            suspect=existing,
            data=services.SuspectData(
                label=row["label"],
                sex=row["sex"],
                minor=bool(row.get("minor")),
                citizenship=row.get("citizenship") or "",
                suspected_on=row["suspected_on"],
                accused_on=row.get("accused_on"),
                external_id=row["external_id"],
            ),
        )
    return suspect, existing is None


register(
    _justice_type(
        name="justice_suspects",
        label=gettext_lazy("Suspects and accused"),
        description=gettext_lazy("One row per person suspected in a proceeding; no names."),
        columns=[
            Column(
                "external_id",
                gettext_lazy("Your id of the person in this proceeding"),
                parse=parse_text(80),
                example="S-1",
            ),
            *_proceeding_ref_columns(),
            Column(
                "label",
                gettext_lazy("Short reference, e.g. A (not a name)"),
                parse=parse_text(40),
                example="A",
            ),
            Column("sex", gettext_lazy("Sex"), codes=_choices(list(Sex.values)), example="male"),
            Column(
                "minor",
                gettext_lazy("Minor (true/false)"),
                required=False,
                parse=parse_bool,
                example="false",
            ),
            Column(
                "citizenship",
                gettext_lazy("Citizenship (ISO 3166 two-letter code)"),
                required=False,
                parse=parse_country,
                example=get_profile().country.code,
            ),
            Column(
                "suspected_on",
                gettext_lazy("Recognised as suspect on"),
                parse=parse_date,
                example="2020-02-10",
            ),
            Column("accused_on", gettext_lazy("Accused on"), required=False, parse=parse_date),
        ],
        save_row=save_suspect,
    )
)


# Injured parties.


def save_injured_party(actor: User, row: dict[str, Any]) -> tuple[models.Model, bool]:
    _check_unlocked(actor, "recognised_on", row["recognised_on"])
    proceeding = _find_or_register(actor, row)
    existing = InjuredParty.objects.filter(
        proceeding=proceeding, external_id=row["external_id"]
    ).first()
    if existing is not None:
        return existing, False
    case = None
    if row.get("case_code"):
        case = case_for_linking(actor=actor, proceeding=proceeding, code=row["case_code"])
    with _columns({}):
        party = services.injured_party_add(
            actor=actor,
            proceeding=proceeding,
            data=services.InjuredPartyData(
                recognised_on=row["recognised_on"],
                case=case,
                sex=row.get("sex") or Sex.UNKNOWN,
                minor=bool(row.get("minor")),
                citizenship=row.get("citizenship") or "",
                external_id=row["external_id"],
            ),
        )
    return party, True


register(
    _justice_type(
        name="justice_injured_parties",
        label=gettext_lazy("Injured parties"),
        description=gettext_lazy(
            "One row per person recognised as injured party: a victim case code, or sex, "
            "age group and citizenship for a person without a case in THB."
        ),
        columns=[
            Column(
                "external_id",
                gettext_lazy("Your id of the injured party in this proceeding"),
                parse=parse_text(80),
                example="V-1",
            ),
            *_proceeding_ref_columns(),
            Column(
                "recognised_on",
                gettext_lazy("Recognised as injured party on"),
                parse=parse_date,
                example="2020-03-01",
            ),
            Column(
                "case_code",
                gettext_lazy("THB victim case code, if the victim has a case"),
                required=False,
                parse=parse_text(20),
                sensitive=True,
            ),
            Column(
                "sex",
                gettext_lazy("Sex (when there is no case code)"),
                required=False,
                codes=_choices(list(Sex.values)),
                example="male",
            ),
            Column(
                "minor",
                gettext_lazy("Minor (true/false)"),
                required=False,
                parse=parse_bool,
                example="false",
            ),
            Column(
                "citizenship",
                gettext_lazy("Citizenship (ISO 3166 two-letter code)"),
                required=False,
                parse=parse_country,
                example="UZ",
            ),
        ],
        save_row=save_injured_party,
    )
)


# Property arrested.


def save_property_arrest(actor: User, row: dict[str, Any]) -> tuple[models.Model, bool]:
    _check_unlocked(actor, "arrested_on", row["arrested_on"])
    proceeding = _find_or_register(actor, row)
    existing = PropertyArrest.objects.filter(
        proceeding=proceeding, external_id=row["external_id"]
    ).first()
    with _columns({}):
        arrest = services.property_arrest_save(
            actor=actor,
            proceeding=proceeding,
            arrest=existing,
            data=services.PropertyArrestData(
                kind=row["kind"],
                arrested_on=row["arrested_on"],
                value_eur=row["value_eur"],
                description=row.get("description") or "",
                external_id=row["external_id"],
            ),
        )
    return arrest, existing is None


register(
    _justice_type(
        name="justice_property_arrests",
        label=gettext_lazy("Property arrested"),
        columns=[
            Column(
                "external_id",
                gettext_lazy("Your id of the arrest in this proceeding"),
                parse=parse_text(80),
                example="A-1",
            ),
            *_proceeding_ref_columns(),
            Column(
                "kind",
                gettext_lazy("Kind of property (profile justice.property_kinds)"),
                codes=_property_kinds,
                example="bank_account",
            ),
            Column(
                "arrested_on", gettext_lazy("Arrested on"), parse=parse_date, example="2020-03-05"
            ),
            Column(
                "value_eur",
                gettext_lazy("Value in EUR (1 714 243,00 or 1714243.00)"),
                parse=parse_decimal(validators.amount, kind="property"),
                example="1714243.00",
            ),
            Column(
                "description",
                gettext_lazy("What was arrested (no personal data)"),
                required=False,
                parse=parse_text(200),
            ),
        ],
        save_row=save_property_arrest,
    )
)


# Stages.


def _institution(column: str, code: str | None) -> Institution | None:
    if not code:
        return None
    institution = Institution.objects.filter(code=code, active=True).first()
    if institution is None:
        raise ValidationError(
            {column: _("Unknown institution code “%(value)s”.") % {"value": code}}
        )
    return institution


def _persons(proceeding: Proceeding, ids: list[str] | None) -> list[Suspect]:
    persons = []
    for external_id in ids or []:
        person = Suspect.objects.filter(proceeding=proceeding, external_id=external_id).first()
        if person is None:
            raise ValidationError(
                {
                    "person_external_ids": _("No person “%(value)s” in this proceeding.")
                    % {"value": external_id}
                }
            )
        persons.append(person)
    return persons


def save_stage(actor: User, row: dict[str, Any]) -> tuple[models.Model, bool]:
    _check_unlocked(actor, "on", row["on"])
    proceeding = _find_or_register(actor, row)
    existing = StageEvent.objects.filter(
        proceeding=proceeding, external_id=row["external_id"]
    ).first()
    if existing is not None:
        return existing, False
    with _columns({"institution": "institution_code", "persons": "person_external_ids"}):
        event = services.stage_add(
            actor=actor,
            proceeding=proceeding,
            data=services.StageData(
                kind=row["kind"],
                on=row["on"],
                institution=_institution("institution_code", row.get("institution_code")),
                persons=_persons(proceeding, row.get("person_external_ids")),
                external_id=row["external_id"],
            ),
        )
    return event, True


register(
    _justice_type(
        name="justice_stages",
        label=gettext_lazy("Stages of proceedings"),
        description=gettext_lazy(
            "Transfers, sending to court, courts' receipt and examination, cassation."
        ),
        columns=[
            Column(
                "external_id",
                gettext_lazy("Your id of the stage in this proceeding"),
                parse=parse_text(80),
                example="E-1",
            ),
            *_proceeding_ref_columns(),
            Column(
                "kind",
                gettext_lazy("Stage"),
                codes=_choices(list(StageKind.values)),
                example="first_instance_received",
            ),
            Column("on", gettext_lazy("Date of the stage"), parse=parse_date, example="2020-05-20"),
            Column(
                "institution_code",
                gettext_lazy("THB code of the institution handling the stage (empty: yours)"),
                required=False,
                parse=parse_text(40),
            ),
            Column(
                "person_external_ids",
                gettext_lazy("Persons sent to court: their external ids, separated by ;"),
                required=False,
                parse=parse_list,
            ),
        ],
        save_row=save_stage,
        institution_kind="court",
    )
)


# Judgments: one row per person of a judgment.


def save_judgment_person(actor: User, row: dict[str, Any]) -> tuple[models.Model, bool]:
    _check_unlocked(actor, "delivered_on", row["delivered_on"])
    proceeding = _find_or_register(actor, row)
    existing = JudgmentPerson.objects.filter(
        judgment__proceeding=proceeding, external_id=row["external_id"]
    ).first()
    suspect = Suspect.objects.filter(
        proceeding=proceeding, external_id=row["person_external_id"]
    ).first()
    if suspect is None:
        with _columns(
            {
                "sex": "person_sex",
                "citizenship": "person_citizenship",
                "label": "person_external_id",
                "suspected_on": "proceeding_started_on",
            }
        ):
            suspect = services.suspect_save(
                actor=actor,
                proceeding=proceeding,
                data=services.SuspectData(
                    label=row["person_external_id"],
                    sex=row.get("person_sex") or Sex.UNKNOWN,
                    citizenship=row.get("person_citizenship") or "",
                    suspected_on=proceeding.started_on,
                    external_id=row["person_external_id"],
                ),
            )
    with _columns(
        {
            "court": "court_code",
            "suspect": "person_external_id",
            "deprivation_conditional": "conditional",
        }
    ):
        result = services.judgment_person_record(
            actor=actor,
            proceeding=proceeding,
            level=row["level"],
            delivered_on=row["delivered_on"],
            suspect=suspect,
            court=_institution("court_code", row.get("court_code")),
            external_id=row["external_id"],
            sentence=services.SentenceData(
                outcome=row["outcome"],
                section=row.get("section") or "",
                deprivation_months=row.get("deprivation_months"),
                deprivation_conditional=bool(row.get("conditional")),
                probation_months=row.get("probation_months"),
                fine_eur=row.get("fine_eur"),
            ),
        )
    return result, existing is None


register(
    _justice_type(
        name="justice_judgments",
        label=gettext_lazy("Judgments and sentences"),
        description=gettext_lazy("One row per person of a judgment, with the sentence."),
        columns=[
            Column(
                "external_id",
                gettext_lazy("Your id of this person's judgment row"),
                parse=parse_text(80),
                example="J-1",
            ),
            *_proceeding_ref_columns(),
            Column(
                "level",
                gettext_lazy("Court level"),
                codes=_choices(list(CourtLevel.values)),
                example="first_instance",
            ),
            Column(
                "delivered_on",
                gettext_lazy("Date of the judgment"),
                parse=parse_date,
                example="2020-09-01",
            ),
            Column(
                "court_code",
                gettext_lazy("THB code of the court (empty: yours)"),
                required=False,
                parse=parse_text(40),
            ),
            Column(
                "person_external_id",
                gettext_lazy("External id of the accused person"),
                parse=parse_text(80),
                example="S-1",
            ),
            Column(
                "person_sex",
                gettext_lazy("Sex, if the person is not in THB yet"),
                required=False,
                codes=_choices(list(Sex.values)),
                example="male",
            ),
            Column(
                "person_citizenship",
                gettext_lazy("Citizenship, if the person is not in THB yet"),
                required=False,
                parse=parse_country,
                example=get_profile().country.code,
            ),
            Column(
                "outcome",
                gettext_lazy("Outcome"),
                codes=_choices(list(Outcome.values)),
                example="convicted",
            ),
            Column(
                "section",
                gettext_lazy("Section convicted under (empty: the proceeding's first)"),
                required=False,
                parse=parse_text(20),
                example="154.1",
            ),
            Column(
                "deprivation_months",
                gettext_lazy("Deprivation of liberty, months"),
                required=False,
                parse=parse_integer(validators.months, kind="deprivation_of_liberty"),
                example="30",
            ),
            Column(
                "conditional",
                gettext_lazy("Deprivation of liberty is conditional (true/false)"),
                required=False,
                parse=parse_bool,
                example="true",
            ),
            Column(
                "probation_months",
                gettext_lazy("Probation supervision, months"),
                required=False,
                parse=parse_integer(validators.months, kind="probation"),
                example="24",
            ),
            Column(
                "fine_eur",
                gettext_lazy("Fine in EUR"),
                required=False,
                parse=parse_decimal(validators.amount, allow_zero=False),
            ),
        ],
        save_row=save_judgment_person,
        institution_kind="court",
    )
)


# Non-punishment decisions.


def save_non_punishment(actor: User, row: dict[str, Any]) -> tuple[models.Model, bool]:
    _check_unlocked(actor, "decided_on", row["decided_on"])
    existing = NonPunishmentDecision.objects.filter(
        institution=actor.institution, external_id=row["external_id"]
    ).first()
    proceeding = None
    if row.get("proceeding_number"):
        scope = proceeding_scope(actor)
        proceeding = (
            Proceeding.objects.filter(scope, number=row["proceeding_number"]).first()
            if scope is not None
            else None
        )
        if proceeding is None:
            raise ValidationError({"proceeding_number": _("No such proceeding of yours.")})
    with _columns({"proceeding": "proceeding_number"}):
        decision = services.non_punishment_save(
            actor=actor,
            decision=existing,
            data=services.NonPunishmentData(
                legal_basis=row["legal_basis"],
                outcome=row["outcome"],
                decided_on=row["decided_on"],
                offence=row.get("offence") or "",
                proceeding=proceeding,
                external_id=row["external_id"],
            ),
        )
    return decision, existing is None


register(
    _justice_type(
        name="justice_non_punishment",
        label=gettext_lazy("Non-punishment decisions"),
        description=gettext_lazy(
            "Decisions on offences victims committed while trafficked (CL s.58(6), "
            "CPL s.379(1), Administrative Liability Law s.11)."
        ),
        columns=[
            Column(
                "external_id",
                gettext_lazy("Your id of the decision"),
                parse=parse_text(80),
                example="N-1",
            ),
            Column(
                "legal_basis",
                gettext_lazy("Legal basis (profile legal_sections, non_punishment group)"),
                codes=_non_punishment_bases,
                example="ALL.11",
            ),
            Column(
                "outcome",
                gettext_lazy("Outcome"),
                codes=_choices(list(NonPunishmentOutcome.values)),
                example="released",
            ),
            Column(
                "decided_on",
                gettext_lazy("Date of the decision"),
                parse=parse_date,
                example="2020-10-07",
            ),
            Column(
                "offence",
                gettext_lazy("The offence (no personal data)"),
                required=False,
                parse=parse_text(200),
            ),
            Column(
                "proceeding_number",
                gettext_lazy("Criminal proceeding, if any"),
                required=False,
                parse=parse_text(40),
            ),
        ],
        save_row=save_non_punishment,
        count_for=lambda institution, year: NonPunishmentDecision.objects.filter(
            institution=institution, decided_on__year=year
        ).count(),
    )
)
