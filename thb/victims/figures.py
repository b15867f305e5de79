"""The victims measures of the report's figure catalogue (profiles/<cc>/figures-victims.yaml).

victims.cases counts cases (one case a person in the statistics: of a person linked
across institutions, one case; see `counted_once`) by the identification
decision's year and status, sliced by the filters below; victims.places counts distinct
cases per place of exploitation. The database groups the decided cases by the columns
the figures read, and each figure is the sum of the grouped cells its filters pick (a
few GROUP BY queries for all the figures of all the years asked for; see "The
counting" below and docs/victims-statistics.md).

Per-person values are never recomputed in Python: the combination of forms is the
case's stored `exploitation_key` (kept by services._apply_exploitation), the primary
form (with its override), the year and the age band are database expressions.

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

import math
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from functools import cache
from typing import Any

from django.apps import apps
from django.db.models import (
    Aggregate,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models import Case as DjangoCase
from django.db.models.functions import Coalesce, Concat, NullIf, RowNumber
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from thb.core.aggregates import Year
from thb.core.registry import (
    Number,
    register_measure,
    register_record_years,
    register_report_records,
)
from thb.profiles import get_profile
from thb.profiles.schema import Profile
from thb.profiles.sections.figures import FigureDef, FilterValue
from thb.victims.models import Case, CasePlace, CaseStatus, Sex

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


# The counting: figures as sums of grouped cells ---------------------------------------
#
# The database groups the decided cases once by the columns the figures' filters read
# (the decision's status and year always; sex, age, citizenship, ... as the figures
# need them), and each figure is the sum of the cells its filters pick: a few GROUP BY
# queries for all the figures of all the years asked for, where one filtered count per
# figure would make the database test every figure's conditions on every case. The
# cells are few (a code no figure names is grouped as OTHER, an age as the band
# boundary below it), so summing them is no loop over records.

OTHER = "~"  # a grouped value that no figure names
Row = dict[str, Any]
Test = Callable[[Row], bool]
# The columns a case figure's filters read, beyond status and year.
_CODE_COLUMNS = {
    "sex": "sex",
    "citizenship": "citizenship",
    "primary_form": "form",
    "exploitation": "exploitation",
    "recruitment": "recruitment",
    "education": "education",
    "referral": "referral",
}
# Cells of at most about this many values per status and year share one query. With
# Latvia's catalogue the form and exploitation tables then share one pass over the
# decided cases (117 600 possible cells; far fewer occur, as a case's primary form
# follows from its forms): at 1 000 000 victims on SQLite one pass is 3-4 s, and the
# Python that sums the cells takes the same time either way.
_CELLS_PER_QUERY = 200_000


_FIGURES: dict[int, tuple[Profile, dict[str, FigureDef]]] = {}


def _figure(profile: Profile, figure_id: str) -> FigureDef:
    """profile.figure(figure_id), from an index of the profile's figures."""
    found = _FIGURES.get(id(profile))
    if found is None or found[0] is not profile:
        found = _FIGURES[id(profile)] = (profile, {f.id: f for f in profile.figures})
    return found[1][figure_id]


def _columns(figure: FigureDef, profile: Profile) -> frozenset[str]:
    """The columns (beyond status and year) a figure's filters and its rest_of read."""
    columns = set()
    if _codes(figure.filter("group")):
        columns |= {"age", "sex"}
    if _codes(figure.filter("age_group")):
        columns.add("age")
    for name, column in _CODE_COLUMNS.items():
        if _codes(figure.filter(name)):
            columns.add(column)
    if figure.filter("injured_party_in") == "year":
        columns.add("injured")
    for other_id in _codes(figure.filter("rest_of")):
        columns |= _columns(_figure(profile, other_id), profile)
    return frozenset(columns)


def _named(figures: Sequence[FigureDef], name: str, profile: Profile) -> set[str]:
    """Every code of a filter that the figures (and their rest_of) name."""
    codes: set[str] = set()
    for figure in figures:
        codes.update(_codes(figure.filter(name)))
        codes |= _named(
            [_figure(profile, i) for i in _codes(figure.filter("rest_of"))], name, profile
        )
    return codes


def _age_bounds(figures: Sequence[FigureDef], profile: Profile) -> list[int]:
    """The ages at which some figure's test changes: the age of majority, the bands'
    limits."""
    bounds = {profile.country.age_of_majority}
    bands = {band.code: band for band in profile.age_groups}
    for code in _named(figures, "age_group", profile) - {UNKNOWN}:
        band = bands[code]
        bounds.add(band.min_age)
        if band.max_age is not None:
            bounds.add(band.max_age + 1)
    return sorted(bounds)


def _floored_age(bounds: list[int]) -> Any:
    """The age at identification as the bound at or below it (0 below the first): every
    figure's test gives the same answer for both; NULL stays NULL (unknown)."""
    whens = [When(age_at_identification__isnull=True, then=Value(None))]
    below = 0
    for bound in bounds:
        whens.append(When(age_at_identification__lt=bound, then=Value(below)))
        below = bound
    return DjangoCase(*whens, default=Value(below), output_field=IntegerField())


def _kept(field: str, codes: set[str]) -> Any:
    """The field where it holds one of the codes, OTHER otherwise (NULL included)."""
    if not codes:
        return Value(OTHER)
    return DjangoCase(
        When(**{f"{field}__in": sorted(codes)}, then=F(field)),
        default=Value(OTHER),
        output_field=CharField(),
    )


def _with_blank(codes: set[str]) -> set[str]:
    """Codes where "unknown" also names a blank value (nothing recorded)."""
    return codes | ({""} if UNKNOWN in codes else set())


def _expressions(
    columns: frozenset[str], figures: Sequence[FigureDef], profile: Profile
) -> dict[str, Any]:
    """The SQL expression of each column grouped for these figures."""
    out: dict[str, Any] = {"status": F("status"), "year": Year("decided_on")}
    if "age" in columns:
        out["age"] = _floored_age(_age_bounds(figures, profile))
    if "sex" in columns:
        out["sex"] = F("person__sex")
    if "citizenship" in columns:
        named = _with_blank(_named(figures, "citizenship", profile))
        out["citizenship"] = _kept("person__citizenship", named)
    if "form" in columns:
        out["form"] = Coalesce(
            NullIf("primary_form_override", Value("")),
            NullIf("primary_form", Value("")),
            Value(UNKNOWN),
        )
    if "exploitation" in columns:
        out["exploitation"] = _kept(
            "exploitation_key", _with_blank(_named(figures, "exploitation", profile))
        )
    for column, field in (
        ("recruitment", "recruitment_method"),
        ("education", "education"),
        ("referral", "referral_channel"),
    ):
        if column in columns:
            out[column] = F(field)
    if "injured" in columns:
        out["injured"] = Year("injured_party_on")
    return out


def _sizes(figures: Sequence[FigureDef], profile: Profile) -> dict[str, int]:
    """About how many values each column takes for these figures."""
    return {
        "age": len(_age_bounds(figures, profile)) + 2,
        "sex": len(SEXES),
        "citizenship": len(_named(figures, "citizenship", profile)) + 2,
        "form": len(profile.exploitation_forms) + 1,
        "exploitation": len(_named(figures, "exploitation", profile)) + 2,
        "recruitment": len(profile.recruitment_methods) + 1,
        "education": len(profile.education_levels) + 1,
        "referral": len(profile.referral_channels) + 1,
        "injured": 3,
    }


def _queries(
    figures: Sequence[FigureDef], profile: Profile
) -> list[tuple[frozenset[str], list[FigureDef]]]:
    """The figures split into queries: figures reading the same columns share one, and
    queries merge while their cells stay few."""
    by_columns: dict[frozenset[str], list[FigureDef]] = defaultdict(list)
    for figure in figures:
        by_columns[_columns(figure, profile)].append(figure)
    sizes = _sizes(figures, profile)
    merged: list[tuple[frozenset[str], list[FigureDef]]] = []
    for columns, group in sorted(by_columns.items(), key=lambda item: -len(item[0])):
        for index, (other, members) in enumerate(merged):
            union = other | columns
            # About how many values the columns take together, per status and year.
            if math.prod(sizes[column] for column in union) <= _CELLS_PER_QUERY:
                merged[index] = (union, [*members, *group])
                break
        else:
            merged.append((columns, list(group)))
    return merged


def _decided_cases(years: Sequence[int]) -> QuerySet[Case]:
    """Every case a figure of these years may count: decided in one of them or the year
    before the first, one case a person (`counted_once`)."""
    return counted_once(
        Case.objects.filter(
            status__in=STATUSES["assessed"],
            decided_on__gte=date(min(years) - 1, 1, 1),
            decided_on__lte=date(max(years), 12, 31),
        )
    ).order_by()


def counted_once(queryset: QuerySet[Case]) -> QuerySet[Case]:
    """The decided cases without the duplicates of a person linked across institutions
    (Case.linked_group, thb/linkage): of a group's decided cases the statistics count
    one, a recognised one before a not recognised one, then the earliest decision (then
    the lowest id). In SQL: the counted case of every linked group is found once, by
    ranking the decided cases of the linked groups (few: an uncorrelated subquery the
    database reads once), instead of two correlated EXISTS per case, which made the
    planner scan every decided case for them (2-3 s a query at 1 000 000 victims)."""
    first = (
        Case.objects.filter(linked_group__isnull=False, status__in=STATUSES["assessed"])
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("linked_group")],
                order_by=[
                    DjangoCase(
                        When(status=CaseStatus.RECOGNISED, then=Value(0)),
                        default=Value(1),
                        output_field=IntegerField(),
                    ).asc(),
                    F("decided_on").asc(),
                    F("pk").asc(),
                ],
            )
        )
        .filter(rank=1)
        .values("pk")
    )
    return queryset.filter(Q(linked_group__isnull=True) | Q(pk__in=first))


def _cells(queryset: QuerySet[Case], expressions: dict[str, Any]) -> list[tuple[Row, int]]:
    """One GROUP BY query: each cell's column values and its number of cases."""
    names = list(expressions)
    aliases = {f"c_{name}": expression for name, expression in expressions.items()}
    rows = (
        queryset.annotate(**aliases)
        .values(*aliases)
        .annotate(n=Count("pk"))
        .values_list(*aliases, "n")
    )
    return [(dict(zip(names, row[:-1], strict=True)), int(row[-1])) for row in rows]


def _project(cells: list[tuple[Row, int]], columns: frozenset[str]) -> list[tuple[Row, int]]:
    """The cells summed over the columns a figure does not read (fewer to test)."""
    keep = ["status", "year", *sorted(columns)]
    sums: dict[tuple[Any, ...], int] = defaultdict(int)
    for row, n in cells:
        sums[tuple(row.get(name) for name in keep)] += n
    return [(dict(zip(keep, key, strict=True)), n) for key, n in sums.items()]


# Tests of a cell: the catalogue's filters read in Python over the grouped values.


def _in_codes(column: str, codes: list[str], blank_code: str | None = None) -> Test:
    """The column holds one of the codes (`blank_code` among them: or is blank)."""
    wanted = set(codes) | ({""} if blank_code is not None and blank_code in codes else set())
    return lambda row: row[column] in wanted


def _in_group(code: str, majority: int) -> Test:
    if code == "minors":
        return lambda row: row["age"] is not None and row["age"] < majority
    sexes = {"men": {Sex.MALE}, "women": {Sex.FEMALE}}.get(code, {Sex.OTHER, Sex.UNKNOWN})
    return lambda row: (row["age"] is None or row["age"] >= majority) and row["sex"] in sexes


def _in_age_group(code: str, profile: Profile) -> Test:
    if code == UNKNOWN:
        return lambda row: row["age"] is None
    band = next(item for item in profile.age_groups if item.code == code)
    low, high = band.min_age, band.max_age
    return lambda row: (
        row["age"] is not None and row["age"] >= low and (high is None or row["age"] <= high)
    )


def _all(tests: list[Test]) -> Test:
    if len(tests) == 1:
        return tests[0]

    return lambda row: all(test(row) for test in tests)


def _any(tests: list[Test]) -> Test:
    if len(tests) == 1:
        return tests[0]

    return lambda row: any(test(row) for test in tests)


def _common_tests(figure: FigureDef, year: int, profile: Profile) -> list[Test]:
    first = year - 1 if figure.filter("decided") == "in_year_or_previous" else year
    statuses = set(STATUSES[str(figure.filter("status", "recognised"))])
    tests: list[Test] = [lambda row: first <= row["year"] <= year and row["status"] in statuses]
    groups = _codes(figure.filter("group"))
    if groups:
        majority = profile.country.age_of_majority
        tests.append(_any([_in_group(code, majority) for code in groups]))
    return tests


def _case_test(figure: FigureDef, year: int, profile: Profile) -> Test:
    tests = _common_tests(figure, year, profile)
    for name in ("sex", "primary_form", "recruitment", "education", "referral"):
        codes = _codes(figure.filter(name))
        if codes:
            tests.append(_in_codes(_CODE_COLUMNS[name], codes))
    for name in ("citizenship", "exploitation"):
        codes = _codes(figure.filter(name))
        if codes:
            tests.append(_in_codes(name, codes, UNKNOWN))
    if figure.filter("injured_party_in") == "year":
        tests.append(lambda row: row["injured"] == year)
    ages = _codes(figure.filter("age_group"))
    if ages:
        tests.append(_any([_in_age_group(code, profile) for code in ages]))
    return _rest(figure, year, profile, _case_test, _all(tests))


Place = tuple[str, str] | None  # (country, region); None: the case has no place


def _place_test(figure: FigureDef, year: int, profile: Profile) -> Test:
    """A test of a cell with one place (row["place"])."""
    tests = _common_tests(figure, year, profile)
    home = profile.country.code
    country = _codes(figure.filter("country"))
    if country == [UNKNOWN]:
        tests.append(lambda row: row["place"] is None)
    elif country:
        countries_ = set(country)
        tests.append(lambda row: row["place"] is not None and row["place"][0] in countries_)
    regions = _codes(figure.filter("region"))
    if regions:
        wanted = set(regions) | ({""} if "region_unknown" in regions else set())
        tests.append(
            lambda row: (
                row["place"] is not None and row["place"][0] == home and row["place"][1] in wanted
            )
        )
    if figure.filter("abroad") is True:
        tests.append(lambda row: row["place"] is not None and row["place"][0] != home)
    return _rest(figure, year, profile, _place_test, _all(tests))


def _rest(
    figure: FigureDef,
    year: int,
    profile: Profile,
    test_of: Callable[[FigureDef, int, Profile], Test],
    test: Test,
) -> Test:
    """Exclude what the figures named in rest_of count (the residual row)."""
    others = [test_of(_figure(profile, i), year, profile) for i in _codes(figure.filter("rest_of"))]
    if not others:
        return test
    return lambda row: test(row) and not any(other(row) for other in others)


def _key(figure: FigureDef) -> tuple[str, set[str]] | None:
    """A column and the values a cell must hold there for the figure to count it (its
    own code filter, the most selective first), to test only those cells."""
    for name in ("exploitation", "citizenship", "primary_form", "referral", "recruitment"):
        codes = _codes(figure.filter(name))
        if codes:
            blank = {""} if name in ("exploitation", "citizenship") and UNKNOWN in codes else set()
            return _CODE_COLUMNS[name], set(codes) | blank
    for name in ("education", "sex"):
        codes = _codes(figure.filter(name))
        if codes:
            return _CODE_COLUMNS[name], set(codes)
    return None


class _Cells:
    """The cells of one query, summed over the columns a figure does not read and
    indexed by the value of a column, so that a figure tests only the cells that can
    count."""

    def __init__(self, cells: list[tuple[Row, int]]) -> None:
        self.cells = cells
        self.projected: dict[frozenset[str], list[tuple[Row, int]]] = {}
        self.indexed: dict[tuple[frozenset[str], str], dict[Any, list[tuple[Row, int]]]] = {}

    def of(
        self, columns: frozenset[str], key: tuple[str, set[str]] | None
    ) -> list[tuple[Row, int]]:
        if columns not in self.projected:
            # From the smallest projection already made that still has the columns.
            wider = [cells for done, cells in self.projected.items() if columns <= done]
            self.projected[columns] = _project(min(wider, key=len, default=self.cells), columns)
        if key is None:
            return self.projected[columns]
        column, values = key
        if (columns, column) not in self.indexed:
            index: dict[Any, list[tuple[Row, int]]] = defaultdict(list)
            for cell in self.projected[columns]:
                index[cell[0][column]].append(cell)
            self.indexed[(columns, column)] = index
        index = self.indexed[(columns, column)]
        return [cell for value in values for cell in index.get(value, ())]


def _sum(
    cells: list[tuple[Row, int]],
    figures: Sequence[FigureDef],
    years: Sequence[int],
    test_of: Callable[[FigureDef, int, Profile], Test],
    profile: Profile,
) -> dict[int, dict[str, Number]]:
    """Each figure of each year: the sum of the cells its test picks. A cell of year y
    can count only for the year y or y + 1 (a figure reads decisions of its year, or of
    its year and the one before)."""
    out: dict[int, dict[str, Number]] = {year: {} for year in years}
    grouped = _Cells(cells)
    for figure in figures:
        columns = _columns(figure, profile)
        tests = {year: test_of(figure, year, profile) for year in years}
        totals = dict.fromkeys(years, 0)
        for row, n in grouped.of(columns, _key(figure)):
            for year in (row["year"], row["year"] + 1):
                test = tests.get(year)
                if test is not None and test(row):
                    totals[year] += n
        for year, total in totals.items():
            out[year][figure.id] = total
    return out


def _cases_years(
    years: Sequence[int], figures: Sequence[FigureDef]
) -> dict[int, dict[str, Number]]:
    """victims.cases for several years: one GROUP BY query per group of columns."""
    profile = get_profile()
    years = sorted(set(years))
    out: dict[int, dict[str, Number]] = {year: {} for year in years}
    if not figures:
        return out
    decided = _decided_cases(years)
    for columns, members in _queries(figures, profile):
        cells = _cells(decided, _expressions(columns, members, profile))
        for year, values in _sum(cells, members, years, _case_test, profile).items():
            out[year].update(values)
    return out


def _places_years(
    years: Sequence[int], figures: Sequence[FigureDef]
) -> dict[int, dict[str, Number]]:
    """victims.places for several years: one GROUP BY query of the decided cases by
    status, year, age, sex and their set of places; a figure counts a cell's cases when
    one of its places (or, without places, the absence of one) passes its test."""
    profile = get_profile()
    years = sorted(set(years))
    if not figures:
        return {year: {} for year in years}
    expressions = _expressions(frozenset({"age", "sex"}), figures, profile)
    decided = _decided_cases(years)
    # A case with one place or none is one row of the case joined to its places (no
    # other place of the case: an anti-join), grouped by the place's country and region
    # (NULL: no place).
    joined = decided.annotate(place_id=F("places__pk"))
    other_place = CasePlace.objects.filter(case_id=OuterRef("pk")).exclude(pk=OuterRef("place_id"))
    single = {**expressions, "country": F("places__country"), "region": F("places__region")}
    sums: dict[tuple[Any, ...], int] = defaultdict(int)
    for row, n in _cells(joined.filter(~Exists(other_place)), single):
        place = None if row["country"] is None else (row["country"], row["region"])
        sums[(row["status"], row["year"], row["age"], row["sex"], (place,))] += n
    # A case with several places (few): grouped by the list of its places, which the
    # database gives in any order.
    listed_places = (
        CasePlace.objects.filter(case_id=OuterRef("pk"))
        .order_by()
        .values("case_id")
        .annotate(places=_PlaceList(Concat("country", Value(":"), "region")))
        .values("places")
    )
    listed = {**expressions, "places": Subquery(listed_places, output_field=CharField())}
    several = (
        CasePlace.objects.order_by()
        .values("case_id")
        .annotate(places=Count("pk"))
        .filter(places__gt=1)
        .values("case_id")
    )
    for row, n in _cells(decided.filter(pk__in=several), listed):
        places = tuple(tuple(item.split(":", 1)) for item in sorted(set(row["places"].split(","))))
        sums[(row["status"], row["year"], row["age"], row["sex"], places)] += n
    cells = [
        (
            year,
            n,
            [{"status": s, "year": year, "age": a, "sex": x, "place": p} for p in ps or [None]],
        )
        for (s, year, a, x, ps), n in sums.items()
    ]
    out: dict[int, dict[str, Number]] = {year: {} for year in years}
    for figure in figures:
        tests = {year: _place_test(figure, year, profile) for year in years}
        totals = dict.fromkeys(years, 0)
        for cell_year, n, rows in cells:
            # A case counts once when one of its places passes (as COUNT(DISTINCT case)
            # over the case joined to its places); for its decision's year or the next.
            for year in (cell_year, cell_year + 1):
                test = tests.get(year)
                if test is not None and any(test(row) for row in rows):
                    totals[year] += n
        for year, total in totals.items():
            out[year][figure.id] = total
    return out


class _PlaceList(Aggregate):
    """The values of a group joined with commas, in no particular order."""

    function = "GROUP_CONCAT"
    output_field = CharField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "%(function)s(%(expressions)s, ',')"
        return self.as_sql(compiler, connection, function="STRING_AGG", template=template)


def _cases(year: int, figures: Sequence[FigureDef]) -> Mapping[str, Number]:
    return _cases_years([year], figures)[year]


def _places(year: int, figures: Sequence[FigureDef]) -> Mapping[str, Number]:
    return _places_years([year], figures)[year]


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
        compute_years=_cases_years,
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
        compute_years=_places_years,
        filters=PLACE_FILTERS,
        check=_check_places,
    )
    register_record_years(_record_years)
    # Every model of the app: a write of any of them may change a figure.
    register_report_records(*apps.get_app_config("victims").get_models())
