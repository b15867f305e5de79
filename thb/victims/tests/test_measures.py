"""The victims measures (thb/victims/figures.py) count in SQL what an independent count
in Python finds, for a generated set of cases with every awkward kind of record:
minors, unknown and other sex, unknown age and citizenship, several places, forms
combined, a primary form overridden, no form or place at all, decisions in the year
before, injured parties. The report's victims tables add up on that set."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from thb.accounts.models import User
from thb.profiles import get_profile
from thb.profiles.sections.figures import FigureDef
from thb.reports.builder import build_document
from thb.reports.catalogue import catalogue, compute_figures
from thb.reports.document import Table
from thb.victims.figures import _check_cases, _check_places
from thb.victims.models import Case, CaseStatus, DecisionKind
from thb.victims.rules import exploitation_key
from thb.victims.services import (
    ExploitationProfile,
    Intake,
    VictimProfile,
    case_create,
    case_record_injured_party,
    decision_record,
)

FORMS: list[list[tuple[str, str]]] = [
    [],
    [("labour", "construction")],
    [("labour", "food_industry")],
    [("labour", "")],
    [("labour", "tourism"), ("drug_transport", "")],
    [("sexual", "")],
    [("sexual", ""), ("labour", "agriculture")],
    [("sexual", ""), ("pornography", "")],
    [("pornography", "")],
    [("forced_sham_marriage", "")],
    [("begging", "")],
    [("labour", "other")],
]
PLACES: list[list[tuple[str, str]]] = [
    [],
    [("LV", "riga")],
    [("LV", "")],
    [("LV", "zemgale"), ("DE", "")],
    [("LV", "latgale"), ("LV", "riga")],
    [("RS", "")],
    [("RS", ""), ("GB", "")],
    [("UA", "")],
]
AGES = [None, 5, 11, 12, 15, 17, 18, 24, 30, 44, 70]
SEXES = ["female", "male", "other", "unknown"]
CITIZENSHIPS = ["TJ", "LV", "IN", "UZ", "UA", ""]


def _generate(actor: User, count: int, seed: int) -> list[Case]:
    rng = random.Random(seed)
    profile = get_profile()
    cases = []
    for number in range(count):
        draw = rng.random()
        forms = FORMS[number % len(FORMS)]
        if draw < 0.65 and not forms:
            # A recognised victim has a form of exploitation (victims.services).
            forms = FORMS[(number + 1) % len(FORMS)]
        override = ""
        if len(forms) > 1 and rng.random() < 0.5:
            override = forms[-1][0]  # the form the rule would not pick
        intake_on = date(2019, 1, 1) + timedelta(days=rng.randint(0, 600))
        case = case_create(
            actor=actor,
            intake=Intake(
                intake_date=intake_on,
                referral_channel=rng.choice(profile.codes("referral_channels")),
                victim=VictimProfile(
                    sex=rng.choice(SEXES),
                    citizenship=rng.choice(CITIZENSHIPS),
                    age_at_identification=rng.choice(AGES),
                    education=rng.choice(profile.codes("education_levels")),
                ),
                exploitation=ExploitationProfile(
                    forms=forms,
                    places=PLACES[(number // 3) % len(PLACES)],
                    recruitment_method=rng.choice(profile.codes("recruitment_methods")),
                    primary_form_override=override,
                    primary_form_override_reason="decided by the commission" if override else "",
                ),
                external_id=f"gen-{seed}-{number}",
            ),
        )
        if draw < 0.85:
            recognised = draw < 0.65
            decision_record(
                actor=actor,
                case=case,
                kind=DecisionKind.COMMISSION,
                decided_on=intake_on + timedelta(days=rng.randint(0, 90)),
                recognised=recognised,
                criteria_met=["purpose_exploitation"] if recognised else [],
                reasons="" if recognised else "criteria not met",
                members="A. Member\nB. Member",
            )
            if recognised and rng.random() < 0.4:
                case_record_injured_party(
                    actor=actor,
                    case=case,
                    recognised_on=date(2020, 6, 1) + timedelta(days=rng.randint(0, 150)),
                    proceeding_reference="12345678901234",
                )
        cases.append(Case.objects.get(pk=case.pk))
    return cases


# The independent count: each filter read from its description, evaluated per case.


def _codes(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(item) for item in value] if isinstance(value, list) else [str(value)]


def _group(case: Case) -> str:
    age = case.age_at_identification
    if age is not None and age < get_profile().country.age_of_majority:
        return "minors"
    return {"male": "men", "female": "women"}.get(case.person.sex, "sex_other_or_unknown")


def _key(case: Case) -> str:
    """From the recorded forms, not from the stored column."""
    forms = {row.form: row.sector for row in case.forms.all()}
    return exploitation_key(forms, get_profile()) if forms else "unknown"


def _age_group(case: Case) -> str:
    age = case.age_at_identification
    if age is None:
        return "unknown"
    for band in get_profile().age_groups:
        if band.min_age <= age and (band.max_age is None or age <= band.max_age):
            return band.code
    raise AssertionError(age)


def _case_matches(case: Case, figure: FigureDef, year: int) -> bool:
    filters = figure.filters
    status = filters.get("status", "recognised")
    statuses = (
        [CaseStatus.RECOGNISED, CaseStatus.NOT_RECOGNISED] if status == "assessed" else [status]
    )
    if case.status not in statuses or case.decided_on is None:
        return False
    first = year - 1 if filters.get("decided") == "in_year_or_previous" else year
    if not first <= case.decided_on.year <= year:
        return False
    values = {
        "group": _group(case),
        "sex": case.person.sex,
        "citizenship": str(case.person.citizenship) or "unknown",
        "primary_form": case.primary_form_override or case.primary_form or "unknown",
        "exploitation": _key(case),
        "recruitment": case.recruitment_method,
        "education": case.education,
        "referral": case.referral_channel,
        "age_group": _age_group(case),
    }
    for name, value in values.items():
        wanted = _codes(filters.get(name))
        if wanted and value not in wanted:
            return False
    injured_in_year = bool(case.injured_party_on and case.injured_party_on.year == year)
    return filters.get("injured_party_in") != "year" or injured_in_year


def _place_matches(case: Case, place: Any, figure: FigureDef, year: int) -> bool:
    """Whether the figure counts this case through this place (None: no place)."""
    filters = figure.filters
    if not _case_matches(case, figure, year):
        return False
    home = get_profile().country.code
    country = _codes(filters.get("country"))
    if country == ["unknown"]:
        if place is not None:
            return False
    elif country and (place is None or str(place.country) not in country):
        return False
    regions = _codes(filters.get("region"))
    if regions and (
        place is None
        or str(place.country) != home
        or (place.region or "region_unknown") not in regions
    ):
        return False
    return not (filters.get("abroad") and (place is None or str(place.country) == home))


def _expected(cases: list[Case], figures: list[FigureDef], year: int) -> dict[str, int]:
    profile = get_profile()
    expected = {}
    for figure in figures:
        rest = [profile.figure(other) for other in _codes(figure.filter("rest_of"))]
        count = 0
        for case in cases:
            if figure.measure == "victims.cases":
                counted = _case_matches(case, figure, year) and not any(
                    _case_matches(case, other, year) for other in rest
                )
            else:
                places: list[Any] = list(case.places.all()) or [None]
                counted = any(
                    _place_matches(case, place, figure, year)
                    and not any(_place_matches(case, place, other, year) for other in rest)
                    for place in places
                )
            count += counted
        expected[figure.id] = count
    return expected


def _victims_figures() -> list[FigureDef]:
    # The two measures counted independently here (victims.trends: test_trends.py).
    return [f for f in catalogue().values() if f.measure in ("victims.cases", "victims.places")]


@pytest.fixture
def generated(owner: User) -> list[Case]:
    return _generate(owner, 70, seed=8)


def test_the_sql_measures_equal_an_independent_count(generated: list[Case]) -> None:
    figures = _victims_figures()
    ids = [figure.id for figure in figures]
    for year in (2019, 2020, 2021):
        expected = _expected(generated, figures, year)
        assert compute_figures(year, ids) == expected, year
    # The set is not trivial: the report's main slices are populated in 2020.
    found = compute_figures(2020, ids)
    for figure_id in (
        "victims.identified.minors",
        "victims.identified.sex_other_or_unknown",
        "victims.citizenship.other_countries",
        "victims.citizenship.unknown",
        "victims.exploitation.all.other_forms",
        # (not victims.exploitation.all.unknown: a recognised victim has a form now;
        # the figure stays for records made before that rule)
        "victims.place.other_countries",
        "victims.place.unknown",
        "victims.not_recognised",
        "victims.injured_party_in_proceedings",
        "victims.identified.age.unknown",
    ):
        assert found[figure_id] > 0, figure_id


def test_the_measures_run_a_few_grouped_queries(generated: list[Case]) -> None:
    ids = [figure.id for figure in _victims_figures()]
    with CaptureQueriesContext(connection) as queries:
        compute_figures(2020, ids)
    # victims.cases: a few GROUP BY queries (figures reading the same columns share
    # one; the injured-party figures look one year back through a filter, not through
    # year_offset); victims.places: two (cases with one place or none, with several).
    assert 2 < len(queries.captured_queries) <= 6
    assert all("GROUP BY" in query["sql"] for query in queries.captured_queries)


def _sums(table: Table) -> list[str]:
    problems = []
    values = [[cell.value or 0 for cell in row.cells] for row in table.rows]
    if table.row_total:
        for row, cells in zip(table.rows, values, strict=True):
            if sum(cells[:-1]) != cells[-1]:
                problems.append(f"{table.id}: row {row.label} {cells}")
    if table.column_total:
        for column in range(len(table.columns)):
            above = sum(cells[column] for cells in values[:-1])
            if above != values[-1][column]:
                problems.append(f"{table.id}: column {table.columns[column]}")
    return problems


def tables_that_do_not_add_up(year: int) -> list[str]:
    document = build_document(
        year=year,
        language="en",
        chapters=["victims"],
        narratives=lambda year, language: {},
        years_with_records=set(),
    )
    tables = [block for block in document.chapters[0].blocks if isinstance(block, Table)]
    assert len(tables) >= 13
    return [problem for table in tables for problem in _sums(table)]


def test_the_victims_tables_add_up(generated: list[Case]) -> None:
    assert tables_that_do_not_add_up(2020) == []
    assert tables_that_do_not_add_up(2019) == []


@pytest.mark.parametrize(
    ("check", "filters", "message"),
    [
        (_check_cases, {"exploitation": "labour+sexual"}, "exploitation"),
        (_check_cases, {"exploitation": "sexual.construction"}, "exploitation"),
        (_check_cases, {"exploitation": "labour.shipbuilding"}, "exploitation"),
        (_check_cases, {"citizenship": "XX"}, "citizenship"),
        (_check_cases, {"group": "elderly"}, "group"),
        (_check_cases, {"status": ["recognised", "assessed"]}, "status"),
        (_check_cases, {"age_group": "18_99"}, "age_group"),
        (_check_cases, {"referral": "pigeon"}, "referral"),
        (_check_cases, {"rest_of": ["victims.nowhere"]}, "rest_of"),
        (_check_cases, {"rest_of": ["victims.place.RS"]}, "rest_of"),
        (_check_places, {"region": "atlantis"}, "region"),
        (_check_places, {"country": "ZZ"}, "country"),
    ],
)
def test_a_filter_value_outside_the_profile_is_refused(
    check: Callable[[FigureDef], None], filters: dict[str, Any], message: str
) -> None:
    figure = FigureDef.model_validate(
        {
            "id": "victims.test",
            "definition": {"lv": "x", "en": "x"},
            "unit": "persons",
            "measure": "victims.cases" if check is _check_cases else "victims.places",
            "filters": filters,
        }
    )
    with pytest.raises(ValueError, match=message):
        check(figure)


def test_the_catalogue_passes_its_checks() -> None:
    from thb.reports.catalogue import check_catalogue

    assert check_catalogue() == []
