"""The one registry of THB's extension points.

Apps declare what they plug into others in their `AppConfig.ready()`; nothing is
discovered by importing modules by name. Today the registry holds the report's
measures: the selectors that compute the catalogue's figures (see
thb/reports/catalogue.py and docs/report.md).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

    from thb.profiles.sections.figures import FigureDef

Number = int | float

# compute(year, figures) -> {figure id: value}: one call computes every figure of the
# catalogue that names this measure, so that a measure can answer them all in one
# aggregate query. A figure the measure leaves out counts as 0.
Compute = Callable[[int, Sequence["FigureDef"]], Mapping[str, Number]]
# check(figure) raises ValueError naming the problem when a figure's filters do not
# fit the measure (an unknown filter, a code that is not in the profile's lists).
Check = Callable[["FigureDef"], None]


@dataclass(frozen=True)
class Measure:
    """What a family of figures counts or sums, and the filters that pick the records.

    `records` says in words which records are counted (shown beside each figure in
    the internal edition: "how it was counted"); `filters` names each filter the
    measure understands, with its description."""

    name: str
    records: str | _StrPromise
    compute: Compute
    filters: Mapping[str, str | _StrPromise] = field(default_factory=dict)
    check: Check | None = None


# years() -> the years in which the app holds records that the report counts.
RecordYears = Callable[[], set[int]]
# basis(year) -> {figure id: label}: the figures of the year that rest on an aggregate
# return (a total or average an institution reported instead of records), each with
# the label of its basis in the active language ("annual average").
AggregateBasisSource = Callable[[int], Mapping[str, str]]


@dataclass
class Registry:
    measures: dict[str, Measure] = field(default_factory=dict)
    record_years: list[RecordYears] = field(default_factory=list)
    aggregate_bases: list[AggregateBasisSource] = field(default_factory=list)

    def register_measure(self, measure: Measure) -> None:
        if measure.name in self.measures:
            raise RuntimeError(f"measure {measure.name!r} is registered twice")
        self.measures[measure.name] = measure

    def measure(self, name: str) -> Measure:
        try:
            return self.measures[name]
        except KeyError:
            known = ", ".join(sorted(self.measures)) or "none"
            raise KeyError(f"no measure {name!r} is registered (known: {known})") from None


registry = Registry()


def register_measure(
    name: str,
    *,
    records: Any,
    compute: Compute,
    filters: Mapping[str, Any] | None = None,
    check: Check | None = None,
) -> None:
    """Declare a measure (call from the owning app's AppConfig.ready())."""
    registry.register_measure(
        Measure(name=name, records=records, compute=compute, filters=filters or {}, check=check)
    )


def register_record_years(years: RecordYears) -> None:
    """Declare which years an app has records in (statistics pages open on the latest
    such year; earlier-year columns show only such years)."""
    registry.record_years.append(years)


def register_aggregate_basis(source: AggregateBasisSource) -> None:
    """Declare which figures of a year rest on aggregate returns (so the report can
    mark them "on average", "about")."""
    registry.aggregate_bases.append(source)


def aggregate_basis(year: int) -> dict[str, str]:
    """{figure id: basis label} of every figure of the year that rests on an aggregate
    return, from every app that declared some."""
    found: dict[str, str] = {}
    for source in registry.aggregate_bases:
        found.update(source(year))
    return found
