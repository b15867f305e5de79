"""The coordinator's part of the home page: five-year trends of the victims
identified, by primary form of exploitation and by citizenship, and of the funding
planned and spent, from the stored figures of the report (never recomputed per
request), with small counts of persons hidden as the public edition hides them.

The figures are found in the catalogue by what they count (measure and filter), not
by id: the ids are written once, in the profile's figures-*.yaml."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _
from django_countries import countries

from thb.accounts.models import Role, User
from thb.core.charts import ColumnChart, Section, Series, display
from thb.core.languages import current_language
from thb.core.registry import Number
from thb.core.years import record_years
from thb.lib.disclosure import suppress_counts
from thb.profiles import get_profile
from thb.profiles.sections.figures import FigureDef
from thb.reports.catalogue import catalogue
from thb.reports.selectors import stored_figures_of_years

TREND_YEARS = 5
VICTIMS_MEASURE = "victims.cases"
FUNDING_MEASURE = "support.funding"
FUNDING_AMOUNTS = ("planned", "spent")


def trend_years(today: date) -> list[int]:
    """The five years up to the last year before the current one that has records
    (the current year is still being recorded)."""
    past = [year for year in record_years() if year < today.year]
    last = max(past) if past else today.year - 1
    return list(range(last - TREND_YEARS + 1, last + 1))


def _family(filter_name: str) -> list[tuple[FigureDef, str]]:
    """The figures of the victims identified split by one filter (each with its code),
    and the figure of the rest of them ("other"), in the catalogue's order."""
    figures = [
        f
        for f in catalogue().values()
        if f.measure == VICTIMS_MEASURE and f.year_offset == 0 and set(f.filters) == {filter_name}
    ]
    ids = {f.id for f in figures}
    family = [(f, str(f.filters[filter_name])) for f in figures]
    for f in catalogue().values():
        rest = f.filters.get("rest_of")
        if (
            f.measure == VICTIMS_MEASURE
            and set(f.filters) == {"rest_of"}
            and isinstance(rest, list)
            and rest
            and set(rest) <= ids
        ):
            family.append((f, "other"))
    return family


def _label(kind: str, code: str) -> str:
    if code == "unknown":
        return _("Unknown")
    if code == "other":
        return _("Other countries") if kind == "citizenship" else _("Other forms")
    if kind == "citizenship":
        return str(countries.name(code) or code)
    return get_profile().label("exploitation_forms", code, current_language())


def _protected_series(
    kind: str, family: list[tuple[FigureDef, str]], figures: Mapping[int, Mapping[str, Number]]
) -> list[Series]:
    """One series per figure of the family over the years, with each year's small
    counts hidden (primary and group-wise secondary suppression, thb/lib/disclosure.py:
    each year's figures add up to the year's total)."""
    threshold = get_profile().report.suppression_threshold
    years = sorted(figures)
    cells = {
        (f.id, year): int(figures[year].get(f.id, 0) or 0) for f, _code in family for year in years
    }
    keys = {cell: f"{cell[0]}@{cell[1]}" for cell in cells}
    groups = [[keys[(f.id, year)] for f, _code in family] for year in years]
    shown = suppress_counts(
        {keys[cell]: value for cell, value in cells.items()}, threshold=threshold, groups=groups
    )
    series = []
    for f, code in family:
        values = [shown[keys[(f.id, year)]] for year in years]
        texts = [
            display(value)
            if value is not None
            else (f"<{threshold}" if 0 < cells[(f.id, year)] < threshold else "c")
            for value, year in zip(values, years, strict=True)
        ]
        series.append(Series(_label(kind, code), list(values), texts))
    # Series with nothing in five years say nothing: left out of the chart.
    return [s for s in series if any(v for v in s.values) or any(t != "0" for t in s.texts)]


def _funding_series(figures: Mapping[int, Mapping[str, Number]]) -> list[Series]:
    labels = {"planned": _("Planned (contracts)"), "spent": _("Spent")}
    found = {
        str(f.filters.get("amount")): f
        for f in catalogue().values()
        if f.measure == FUNDING_MEASURE and f.filters.get("amount") in FUNDING_AMOUNTS
    }
    years = sorted(figures)
    series = []
    for amount in FUNDING_AMOUNTS:
        figure = found.get(amount)
        if figure is None:
            continue
        values: list[int | float | None] = [
            float(figures[year].get(figure.id, 0) or 0) for year in years
        ]
        series.append(Series(labels[amount], values, [display(v, decimals=0) for v in values]))
    return series


def sections(*, actor: User, today: date) -> list[Section]:
    if actor.role != Role.COORDINATOR:
        return []
    years = trend_years(today)
    figures = stored_figures_of_years(actor=actor, years=years)
    categories = [str(year) for year in years]
    statistics = reverse("reports:topic_statistics", kwargs={"topic": "victims"})
    span = f"{years[0]}–{years[-1]}"
    return [
        Section(
            key="victims-trends",
            title=_("Victims identified, %(years)s") % {"years": span},
            note=_(
                "From the report's stored figures; counts below %(threshold)s are hidden "
                "as in the published edition."
            )
            % {"threshold": get_profile().report.suppression_threshold},
            charts=[
                ColumnChart(
                    "victims-by-form",
                    _("By primary form of exploitation"),
                    categories,
                    _protected_series("form", _family("primary_form"), figures),
                    label_header=_("Form of exploitation"),
                ),
                ColumnChart(
                    "victims-by-citizenship",
                    _("By citizenship"),
                    categories,
                    _protected_series("citizenship", _family("citizenship"), figures),
                    label_header=_("Citizenship"),
                ),
            ],
            links=[
                (f"{statistics}?year={year}", _("Victim statistics %(year)s") % {"year": year})
                for year in reversed(years[-2:])
            ],
        ),
        Section(
            key="funding-trends",
            title=_("Funding of rehabilitation, %(years)s (EUR)") % {"years": span},
            charts=[
                ColumnChart(
                    "funding",
                    _("Planned and spent (EUR)"),
                    categories,
                    _funding_series(figures),
                    label_header=_("Funding"),
                    decimals=0,
                )
            ],
            links=[
                (
                    f"{reverse('support:funding')}?year={years[-1]}",
                    _("Funding %(year)s") % {"year": years[-1]},
                )
            ],
        ),
    ]
