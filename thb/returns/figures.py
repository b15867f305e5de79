"""The returns measure of the report's figure catalogue
(profiles/<cc>/figures-returns.yaml): victims identified abroad whose return home was
completed in the year, by the country they returned from.

Filters: `country` (ISO code or list: the returns from those countries), `other_than`
(list: the returns from every country not listed, the residual row); neither: all."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from thb.core import validators
from thb.core.registry import (
    Number,
    register_measure,
    register_record_years,
    register_report_records,
)
from thb.profiles.sections.figures import FigureDef, FilterValue
from thb.returns.selectors import return_years, returns_by_country


def _codes(value: FilterValue | None) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _value(figure: FigureDef, counts: Mapping[str, int]) -> int:
    wanted = _codes(figure.filter("country"))
    excluded = set(_codes(figure.filter("other_than")))
    if wanted:
        return sum(counts.get(code, 0) for code in wanted)
    return sum(n for code, n in counts.items() if code not in excluded)


def _organised(year: int, figures: Sequence[FigureDef]) -> Mapping[str, Number]:
    counts = returns_by_country(year)  # one GROUP BY query for every figure
    return {figure.id: _value(figure, counts) for figure in figures}


def _check(figure: FigureDef) -> None:
    unknown = set(figure.filters) - {"country", "other_than"}
    if unknown:
        raise ValueError(f"unknown filter {', '.join(sorted(unknown))}")
    if figure.filter("country") is not None and figure.filter("other_than") is not None:
        raise ValueError("filters country and other_than exclude each other")
    for code in _codes(figure.filter("country")) + _codes(figure.filter("other_than")):
        if not validators.is_country(code):
            raise ValueError(f"{code!r} is not an ISO 3166 country code")


def register() -> None:
    register_record_years(return_years)
    # Every model of the app: a write of any of them may change a figure.
    register_report_records(*apps.get_app_config("returns").get_models())
    register_measure(
        "returns.organised",
        records=_(
            "return plans of victims identified abroad whose return home was completed in "
            "the year (the day of the reception step), by the country returned from"
        ),
        compute=_organised,
        filters={
            "country": _("the country returned from (ISO code or list)"),
            "other_than": _("every country returned from except those listed"),
        },
        check=_check,
    )
