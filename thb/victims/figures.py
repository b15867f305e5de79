"""The victims measures of the report's figure catalogue (profiles/<cc>/figures-victims.yaml).

victims.cases counts cases (one case a person in the statistics) by the identification
decision's year and status, sliced by the filters below; victims.places counts distinct
cases per place of exploitation. Each measure answers every figure the catalogue gives
it in ONE aggregate query: one conditional Count per figure, computed by the database.

Per-person values are never recomputed in Python: the combination of forms is the
case's stored `exploitation_key` (kept by services._apply_exploitation), the primary
form (with its override) and the age group are database expressions.

Filters shared by both measures (a code filter takes one code or a list: any of them):
  status      recognised (default) | not_recognised | assessed (either decision)
  decided     in_year (default) | in_year_or_previous: the decision's year
  group       men | women | minors | sex_other_or_unknown: the report's columns; a
              minor is younger than the profile's age_of_majority at identification,
              anyone else (including an unknown age) is counted by sex
  rest_of     figure ids of the same measure: the records the filters pick that none
              of those figures counts (the residual row that makes a table add up)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from functools import cache
from typing import Any

from django.apps import apps
from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from thb.core.registry import (
    Number,
    register_measure,
    register_record_years,
    register_report_records,
)
from thb.profiles import get_profile
from thb.profiles.schema import Profile
from thb.profiles.sections.figures import FigureDef, FilterValue
from thb.victims.models import Case, CaseStatus, Sex

UNKNOWN = "unknown"
STATUSES = {
    "recognised": [CaseStatus.RECOGNISED],
    "not_recognised": [CaseStatus.NOT_RECOGNISED],
    "assessed": [CaseStatus.RECOGNISED, CaseStatus.NOT_RECOGNISED],
}
DECIDED = ("in_year", "in_year_or_previous")
GROUPS = ("men", "women", "minors", "sex_other_or_unknown")
SEXES = tuple(Sex.values)

COMMON_FILTERS = {
    "status": _("status: recognised (default), not recognised, or assessed (either)"),
    "decided": _("decision in the year (default) or in the year or the one before"),
    "group": _("group: men, women (adults), minors, adults of other or unknown sex"),
    "rest_of": _("the records that none of the listed figures counts"),
}
CASE_FILTERS = {
    **COMMON_FILTERS,
    "sex": _("sex"),
    "citizenship": _("citizenship (ISO code; unknown: none recorded)"),
    "primary_form": _("primary form of exploitation (the override where one is given)"),
    "exploitation": _("combination of forms of exploitation (labour with its sector)"),
    "recruitment": _("recruitment method"),
    "education": _("education"),
    "referral": _("referral channel"),
    "injured_party_in": _("recognised as an injured party in criminal proceedings in the year"),
    "age_group": _("age group at identification"),
}
PLACE_FILTERS = {
    **COMMON_FILTERS,
    "country": _("country of exploitation (ISO code; unknown: no place recorded)"),
    "region": _("region of exploitation inside the country"),
    "abroad": _("exploited outside the country"),
}


def _codes(value: FilterValue | None) -> list[str]:
    if value is None:
        return []
    return [str(item) for item in value] if isinstance(value, list) else [str(value)]


def _any_of(field: str, codes: list[str]) -> Q:
    return Q(**{field: codes[0]}) if len(codes) == 1 else Q(**{f"{field}__in": codes})


def _decided(figure: FigureDef, year: int) -> Q:
    first = year - 1 if figure.filter("decided") == "in_year_or_previous" else year
    return Q(decided_on__gte=date(first, 1, 1), decided_on__lte=date(year, 12, 31))


def _group(code: str, majority: int) -> Q:
    if code == "minors":
        return Q(age_at_identification__lt=majority)
    adult = Q(age_at_identification__isnull=True) | Q(age_at_identification__gte=majority)
    if code == "men":
        return adult & Q(person__sex=Sex.MALE)
    if code == "women":
        return adult & Q(person__sex=Sex.FEMALE)
    return adult & Q(person__sex__in=[Sex.OTHER, Sex.UNKNOWN])


def _age_group(code: str, profile: Profile) -> Q:
    if code == UNKNOWN:
        return Q(age_at_identification__isnull=True)
    band = next(item for item in profile.age_groups if item.code == code)
    q = Q(age_at_identification__gte=band.min_age)
    if band.max_age is not None:
        q &= Q(age_at_identification__lte=band.max_age)
    return q


def _common(figure: FigureDef, year: int, profile: Profile) -> Q:
    q = _decided(figure, year) & Q(status__in=STATUSES[str(figure.filter("status", "recognised"))])
    groups = _codes(figure.filter("group"))
    if groups:
        either = Q()
        for code in groups:
            either |= _group(code, profile.country.age_of_majority)
        q &= either
    return q


def _blank_or(field: str, codes: list[str], blank_code: str) -> Q:
    """Codes, where `blank_code` also matches a blank field (nothing recorded)."""
    q = _any_of(field, codes)
    if blank_code in codes:
        q |= Q(**{field: ""})
    return q


def _case_q(figure: FigureDef, year: int, profile: Profile) -> Q:
    q = _common(figure, year, profile)
    simple = {
        "sex": "person__sex",
        "primary_form": "effective_form",
        "recruitment": "recruitment_method",
        "education": "education",
        "referral": "referral_channel",
    }
    for name, field in simple.items():
        codes = _codes(figure.filter(name))
        if codes:
            q &= _any_of(field, codes)
    citizenship = _codes(figure.filter("citizenship"))
    if citizenship:
        q &= _blank_or("person__citizenship", citizenship, UNKNOWN)
    exploitation = _codes(figure.filter("exploitation"))
    if exploitation:
        q &= _blank_or("exploitation_key", exploitation, UNKNOWN)
    if figure.filter("injured_party_in") == "year":
        q &= Q(injured_party_on__year=year)
    ages = _codes(figure.filter("age_group"))
    if ages:
        either = Q()
        for code in ages:
            either |= _age_group(code, profile)
        q &= either
    return q & _rest(figure, year, profile, _case_q)


def _place_q(figure: FigureDef, year: int, profile: Profile) -> Q:
    q = _common(figure, year, profile)
    home = profile.country.code
    country = _codes(figure.filter("country"))
    if country == [UNKNOWN]:
        q &= Q(places__isnull=True)
    elif country:
        q &= _any_of("places__country", country)
    regions = _codes(figure.filter("region"))
    if regions:
        q &= Q(places__country=home) & _blank_or("places__region", regions, "region_unknown")
    if figure.filter("abroad") is True:
        q &= Q(places__isnull=False) & ~Q(places__country=home)
    return q & _rest(figure, year, profile, _place_q)


def _rest(
    figure: FigureDef,
    year: int,
    profile: Profile,
    q_of: Callable[[FigureDef, int, Profile], Q],
) -> Q:
    """Exclude what the figures named in rest_of count (the residual row)."""
    counted = Q()
    for other_id in _codes(figure.filter("rest_of")):
        counted |= q_of(profile.figure(other_id), year, profile)
    return ~counted if counted else Q()


def _count(
    queryset: QuerySet[Case],
    figures: Sequence[FigureDef],
    q_of: Callable[[FigureDef, int, Profile], Q],
    year: int,
    *,
    distinct: bool = False,
) -> dict[str, Number]:
    """All the figures in one aggregate query: one conditional count per figure."""
    if not figures:
        return {}
    profile = get_profile()
    counts = {
        f"f{number}": Count("pk", filter=q_of(figure, year, profile), distinct=distinct)
        for number, figure in enumerate(figures)
    }
    values = queryset.aggregate(**counts)
    return {figure.id: int(values[f"f{number}"] or 0) for number, figure in enumerate(figures)}


def _decided_cases(year: int) -> QuerySet[Case]:
    """Every case a figure may count: decided in the year or the one before."""
    return Case.objects.filter(
        status__in=STATUSES["assessed"],
        decided_on__gte=date(year - 1, 1, 1),
        decided_on__lte=date(year, 12, 31),
    )


def _cases(year: int, figures: Sequence[FigureDef]) -> Mapping[str, Number]:
    queryset = _decided_cases(year).annotate(
        effective_form=Coalesce(
            NullIf("primary_form_override", Value("")),
            NullIf("primary_form", Value("")),
            Value(UNKNOWN),
        )
    )
    return _count(queryset, figures, _case_q, year)


def _places(year: int, figures: Sequence[FigureDef]) -> Mapping[str, Number]:
    # A case with several places joins once per place: count each case once per figure.
    return _count(_decided_cases(year), figures, _place_q, year, distinct=True)


# Checks: every filter value must be one of the profile's codes.


@cache
def _country_codes() -> frozenset[str]:
    return frozenset(code for code, _name in countries)


def _require(name: str, value: FilterValue | None, allowed: Any, *, many: bool = True) -> None:
    if value is None:
        return
    if isinstance(value, list) and not many:
        raise ValueError(f"filter {name} takes one value")
    for code in _codes(value):
        if code not in allowed:
            raise ValueError(f"filter {name}: {code!r} is not one of the profile's codes")


def exploitation_keys(profile: Profile) -> Callable[[str], bool]:
    """Whether a string is a combination key rules.exploitation_key can give."""
    forms = {form.code: form for form in profile.exploitation_forms}
    sectors = {*profile.codes("labour_sectors"), "sector_unknown"}

    def valid(key: str) -> bool:
        if key == UNKNOWN:
            return True
        parts = key.split("+")
        if len(parts) > 1:
            ordered = sorted(parts, key=lambda code: forms[code].priority if code in forms else 0)
            return all(p in forms for p in parts) and parts == ordered and len(set(parts)) > 1
        form, _dot, sector = key.partition(".")
        if form not in forms:
            return False
        return sector in sectors if forms[form].has_sectors else not sector

    return valid


class _Keys:
    """`in` for exploitation keys, so that _require can check them like a code list."""

    def __init__(self, profile: Profile) -> None:
        self.valid = exploitation_keys(profile)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.valid(key)


def _check_common(figure: FigureDef, measure: str) -> None:
    _require("status", figure.filter("status"), STATUSES, many=False)
    _require("decided", figure.filter("decided"), DECIDED, many=False)
    _require("group", figure.filter("group"), GROUPS)
    profile = get_profile()
    for other_id in _codes(figure.filter("rest_of")):
        try:
            other = profile.figure(other_id)
        except KeyError:
            raise ValueError(f"filter rest_of: {other_id} is not in the catalogue") from None
        if other.measure != measure or other.id == figure.id or other.filter("rest_of"):
            raise ValueError(
                f"filter rest_of: {other_id} must be another figure of {measure} "
                "without rest_of of its own"
            )


def _check_cases(figure: FigureDef) -> None:
    _check_common(figure, "victims.cases")
    profile = get_profile()
    _require("sex", figure.filter("sex"), SEXES)
    _require("citizenship", figure.filter("citizenship"), {*_country_codes(), UNKNOWN})
    _require(
        "primary_form",
        figure.filter("primary_form"),
        {*profile.codes("exploitation_forms"), UNKNOWN},
    )
    _require("exploitation", figure.filter("exploitation"), _Keys(profile))
    _require("recruitment", figure.filter("recruitment"), profile.codes("recruitment_methods"))
    _require("education", figure.filter("education"), profile.codes("education_levels"))
    _require("referral", figure.filter("referral"), profile.codes("referral_channels"))
    _require("injured_party_in", figure.filter("injured_party_in"), ("year",), many=False)
    _require("age_group", figure.filter("age_group"), {*profile.codes("age_groups"), UNKNOWN})


def _check_places(figure: FigureDef) -> None:
    _check_common(figure, "victims.places")
    profile = get_profile()
    _require("country", figure.filter("country"), {*_country_codes(), UNKNOWN})
    _require("region", figure.filter("region"), profile.codes("regions"))
    if figure.filter("abroad") not in (None, True):
        raise ValueError("filter abroad takes only true")


def _record_years() -> set[int]:
    """The years with an identification decision or an injured-party recognition."""
    decided = Case.objects.filter(status__in=STATUSES["assessed"], decided_on__isnull=False)
    years = {day.year for day in decided.dates("decided_on", "year")}
    injured = Case.objects.filter(injured_party_on__isnull=False)
    return years | {day.year for day in injured.dates("injured_party_on", "year")}


def register() -> None:
    register_measure(
        "victims.cases",
        records=_(
            "cases of the victim register with an identification decision (one case a "
            "person), by the decision's date"
        ),
        compute=_cases,
        filters=CASE_FILTERS,
        check=_check_cases,
    )
    register_measure(
        "victims.places",
        records=_(
            "cases of the victim register with an identification decision, counted once "
            "for each place of exploitation that matches"
        ),
        compute=_places,
        filters=PLACE_FILTERS,
        check=_check_places,
    )
    register_record_years(_record_years)
    # Every model of the app: a write of any of them may change a figure.
    register_report_records(*apps.get_app_config("victims").get_models())
