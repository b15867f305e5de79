"""The figure catalogue: every figure THB publishes, declared once in the country
profile (profiles/<country>/figures-*.yaml) and computed by the measure it names.

`compute_figures(year)` returns every declared id, with 0 where nothing was counted;
`explain(id)` says what a figure is and how it was counted (which records, which
filters) for the internal edition.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thb.core.registry import Number, registry
from thb.profiles import get_profile
from thb.profiles.sections.figures import FigureDef


def catalogue() -> dict[str, FigureDef]:
    """Every declared figure, in the profile's order."""
    return {figure.id: figure for figure in get_profile().figures}


def check_catalogue() -> list[str]:
    """Problems between the catalogue and the registered measures (empty when sound):
    a measure nobody registered, a filter the measure does not understand, a filter
    value its check refuses."""
    problems = []
    for figure in catalogue().values():
        try:
            measure = registry.measure(figure.measure)
        except KeyError as exc:
            problems.append(f"{figure.id}: {exc.args[0]}")
            continue
        unknown = sorted(set(figure.filters) - set(measure.filters))
        if unknown:
            problems.append(
                f"{figure.id}: measure {figure.measure} has no filter {', '.join(unknown)}"
            )
        if measure.check is not None:
            try:
                measure.check(figure)
            except ValueError as exc:
                problems.append(f"{figure.id}: {exc}")
    return problems


def compute_figures(year: int, ids: Iterable[str] | None = None) -> dict[str, Number]:
    """The figures of the year (all declared ids, or those asked for), each measure
    called once for all its figures. Missing values are 0."""
    return compute_years([year], ids)[year]


def compute_years(
    years: Iterable[int], ids: Iterable[str] | None = None
) -> dict[int, dict[str, Number]]:
    """The figures of several years: {year: figures}, as compute_figures gives each. A
    measure that can (`compute_years`) answers all the years in one call (one pass over
    its records, grouped by year); the others are called once a year."""
    declared = catalogue()
    wanted = list(declared) if ids is None else list(ids)
    asked_years = sorted(set(years))
    batches: dict[tuple[str, int], list[FigureDef]] = defaultdict(list)
    for figure_id in wanted:
        figure = declared[figure_id]
        batches[(figure.measure, figure.year_offset)].append(figure)
    values: dict[int, dict[str, Number]] = {year: {} for year in asked_years}
    for (name, offset), figures in batches.items():
        measure = registry.measure(name)
        if measure.compute_years is not None:
            found = measure.compute_years([year + offset for year in asked_years], figures)
            results = {year: found[year + offset] for year in asked_years}
        else:
            results = {year: measure.compute(year + offset, figures) for year in asked_years}
        asked = {figure.id for figure in figures}
        for year, result in results.items():
            stray = set(result) - asked
            if stray:
                raise RuntimeError(
                    f"measure {name} returned figures it was not asked for: {sorted(stray)}"
                )
            values[year].update(result)
    return {
        year: {figure_id: found.get(figure_id, 0) for figure_id in wanted}
        for year, found in values.items()
    }


class YearsFigures:
    """A figure source (year -> figures) that computes the years it is told the reader
    will ask for together, on the first call (one pass of each measure that can), and
    any other year alone."""

    def __init__(self, years: Iterable[int]) -> None:
        self.years = set(years)
        self.computed: dict[int, dict[str, Number]] = {}

    def __call__(self, year: int) -> dict[str, Number]:
        if year not in self.computed:
            if year in self.years:
                self.computed.update(compute_years(self.years))
            else:
                self.computed[year] = compute_figures(year)
        return self.computed[year]


@dataclass(frozen=True)
class Explanation:
    """What a figure is and how it was counted, in the language asked for."""

    id: str
    definition: str
    unit: str
    persons: bool
    records: str
    filters: list[tuple[str, str]]
    year_offset: int


UNIT_LABELS = {
    "persons": gettext_lazy("persons"),
    "cases": gettext_lazy("cases"),
    "events": gettext_lazy("events"),
    "eur": gettext_lazy("EUR"),
    "hours": gettext_lazy("hours"),
    "months": gettext_lazy("months"),
}


def _filter_value(value: object) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def explain(figure_id: str, language: str) -> Explanation:
    figure = catalogue()[figure_id]
    measure = registry.measure(figure.measure)
    return Explanation(
        id=figure.id,
        definition=figure.definition.get(language),
        unit=str(UNIT_LABELS[figure.unit]),
        persons=figure.counts_persons,
        records=str(measure.records),
        filters=[
            (str(measure.filters.get(name, name)), _filter_value(value))
            for name, value in figure.filters.items()
        ],
        year_offset=figure.year_offset,
    )
