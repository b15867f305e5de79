"""The victim-case import type: a service provider moves its register (or a
spreadsheet kept so far) into THB. Each row is one case, created through the victims
app's `case_create`, so the same rules apply as on the intake form."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thb.accounts.models import Institution, Role, User
from thb.core import validators
from thb.interop.parsers import (
    parse_country,
    parse_date,
    parse_integer,
    parse_list,
    parse_text,
)
from thb.interop.registry import Column, ImportType, register
from thb.interop.selectors import submission_is_locked
from thb.profiles import get_profile
from thb.victims.models import Case, Sex
from thb.victims.services import ExploitationProfile, Identity, Intake, VictimProfile, case_create


def _codes(section: str) -> Any:
    return lambda: get_profile().codes(section)


def _pairs(text: str, what: str) -> list[tuple[str, str]]:
    """'labour:construction; sexual' -> [('labour', 'construction'), ('sexual', '')]."""
    pairs = []
    for part in parse_list(text):
        first, _sep, second = part.partition(":")
        if not first.strip():
            raise ValueError(_("An empty %(what)s in the list.") % {"what": what})
        pairs.append((first.strip(), second.strip()))
    return pairs


def _forms(text: str) -> list[tuple[str, str]]:
    profile = get_profile()
    pairs = _pairs(text, "form")
    for form, sector in pairs:
        if form not in profile.codes("exploitation_forms"):
            raise ValueError(_("Unknown form of exploitation “%(code)s”.") % {"code": form})
        if sector and sector not in profile.codes("labour_sectors"):
            raise ValueError(_("Unknown sector “%(code)s”.") % {"code": sector})
    return pairs


def _places(text: str) -> list[tuple[str, str]]:
    profile = get_profile()
    pairs = [(parse_country(country), region) for country, region in _pairs(text, "place")]
    for _country, region in pairs:
        if region and region not in profile.codes("regions"):
            raise ValueError(_("Unknown region “%(code)s”.") % {"code": region})
    return pairs


COLUMNS = [
    Column(
        "external_id",
        gettext_lazy("The case's id in your own register; makes re-imports safe."),
        label=gettext_lazy("External id"),
        parse=parse_text(80),
        example="MARTA-2020-001",
    ),
    Column(
        "intake_date",
        gettext_lazy("Date of intake, YYYY-MM-DD."),
        label=gettext_lazy("Date of intake"),
        parse=parse_date,
        example="2020-03-15",
    ),
    Column(
        "referral_channel",
        gettext_lazy("Who referred the person."),
        label=gettext_lazy("Referred by"),
        codes=_codes("referral_channels"),
        example="state_police",
    ),
    Column(
        "sex",
        gettext_lazy("Sex of the person."),
        label=gettext_lazy("Sex"),
        required=False,
        codes=lambda: list(Sex.values),
        example="female",
    ),
    Column(
        "citizenship",
        gettext_lazy("Citizenship: ISO 3166 two-letter code (LV, UZ, …) or the country's name."),
        label=gettext_lazy("Citizenship"),
        required=False,
        parse=parse_country,
        example="LV",
    ),
    Column(
        "age_at_identification",
        gettext_lazy("Age in years when identified."),
        label=gettext_lazy("Age at identification"),
        required=False,
        parse=parse_integer(validators.age),
        example="24",
    ),
    Column(
        "education",
        gettext_lazy("Education level."),
        label=gettext_lazy("Education"),
        required=False,
        codes=_codes("education_levels"),
        example="secondary",
    ),
    Column(
        "forms",
        gettext_lazy(
            "Forms of exploitation separated by ';', labour with its sector after ':' "
            "(labour:construction; sexual)."
        ),
        label=gettext_lazy("Forms of exploitation"),
        required=False,
        parse=_forms,
        example="labour:construction",
    ),
    Column(
        "places",
        gettext_lazy(
            "Places of exploitation separated by ';': country code, in Latvia with "
            "the region after ':' (LV:riga; GB)."
        ),
        label=gettext_lazy("Places of exploitation"),
        required=False,
        parse=_places,
        example="GB",
    ),
    Column(
        "recruitment_method",
        gettext_lazy("How the person was recruited."),
        label=gettext_lazy("Recruitment method"),
        required=False,
        codes=_codes("recruitment_methods"),
        example="acquaintance",
    ),
    Column(
        "exploitation_start",
        gettext_lazy("Exploitation from, YYYY-MM-DD."),
        label=gettext_lazy("Exploitation from"),
        required=False,
        parse=parse_date,
        example="2019-06-01",
    ),
    Column(
        "exploitation_end",
        gettext_lazy("Exploitation until, YYYY-MM-DD."),
        label=gettext_lazy("Exploitation until"),
        required=False,
        parse=parse_date,
        example="2020-02-28",
    ),
    Column(
        "given_names",
        gettext_lazy("Given names (encrypted at rest)."),
        label=gettext_lazy("Given names"),
        required=False,
        parse=parse_text(200),
        example="Anna",
        sensitive=True,
    ),
    Column(
        "surname",
        gettext_lazy("Surname (encrypted at rest)."),
        label=gettext_lazy("Surname"),
        required=False,
        parse=parse_text(200),
        example="Ozola",
        sensitive=True,
    ),
    Column(
        "date_of_birth",
        gettext_lazy("Date of birth, YYYY-MM-DD (encrypted at rest)."),
        label=gettext_lazy("Date of birth"),
        required=False,
        parse=parse_date,
        example="1996-01-20",
        sensitive=True,
    ),
    Column(
        "personal_code",
        gettext_lazy("Personal code (encrypted at rest), checked against the country's format."),
        label=gettext_lazy("Personal code"),
        required=False,
        parse=validators.personal_code,
        example="",
        sensitive=True,
    ),
]

# case_create's field names that are not column names.
_FIELD_TO_COLUMN = {"primary_form_override": "forms", "date_of_birth": "date_of_birth"}


def save_case(actor: User, row: dict[str, Any]) -> tuple[models.Model, bool]:
    """Create the case, or leave an existing case of the same external id unchanged
    (edits to an imported case are made on its page, where they are reviewed)."""
    if actor.institution is None:
        raise PermissionDenied(_("Only a caseworker of an institution imports cases."))
    existing = Case.objects.filter(
        institution=actor.institution, external_id=row["external_id"]
    ).first()
    if existing is not None:
        return existing, False
    if submission_is_locked(actor.institution, row["intake_date"].year):
        raise ValidationError(
            {
                "intake_date": _(
                    "The institution's submission for %(year)d is accepted; its records are locked."
                )
                % {"year": row["intake_date"].year}
            }
        )
    intake = Intake(
        intake_date=row["intake_date"],
        referral_channel=row["referral_channel"],
        external_id=row["external_id"],
        victim=VictimProfile(
            sex=row["sex"] or Sex.UNKNOWN,
            citizenship=row["citizenship"] or "",
            age_at_identification=row["age_at_identification"],
            education=row["education"] or "unknown",
        ),
        exploitation=ExploitationProfile(
            forms=row["forms"] or (),
            places=row["places"] or (),
            recruitment_method=row["recruitment_method"] or "unknown",
            exploitation_start=row["exploitation_start"],
            exploitation_end=row["exploitation_end"],
        ),
        identity=Identity(
            given_names=row["given_names"] or "",
            surname=row["surname"] or "",
            date_of_birth=row["date_of_birth"],
            personal_code=row["personal_code"] or "",
        ),
    )
    try:
        return case_create(actor=actor, intake=intake), True
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError(
            {
                _FIELD_TO_COLUMN.get(name, name): messages
                for name, messages in exc.message_dict.items()
            }
        ) from None


def count_cases(institution: Institution, year: int) -> int:
    return Case.objects.filter(institution=institution, intake_date__year=year).count()


register(
    ImportType(
        name="victim_cases",
        label=gettext_lazy("Victim cases"),
        columns=COLUMNS,
        save_row=save_case,
        roles=(Role.CASEWORKER,),
        key_column="external_id",
        description=gettext_lazy(
            "One row per case of a (potential) victim at your institution. A row whose "
            "external id is already in THB is left unchanged."
        ),
        count_for=count_cases,
    )
)
