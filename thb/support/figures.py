"""The support measures of the report's figure catalogue (profiles/<cc>/figures-support.yaml).

support.funding sums the state funding of rehabilitation (filter amount: planned,
spent or planned_next_year); support.compensation counts the persons paid state
compensation in the year or gives the mean amount per person."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from thb.core.registry import (
    Number,
    register_measure,
    register_record_years,
    register_report_records,
)
from thb.profiles.sections.figures import FigureDef
from thb.support.selectors import compensation_statistics, funding_totals

FUNDING_AMOUNTS = ("planned", "spent", "planned_next_year")
COMPENSATION_VALUES = ("persons", "amount_per_person")


def _number(value: Decimal) -> Number:
    """Whole euros as int (as the report prints them), otherwise a float."""
    return int(value) if value == value.to_integral_value() else float(value)


def _funding_years(
    years: Sequence[int], figures: Sequence[FigureDef]
) -> Mapping[int, Mapping[str, Number]]:
    """The funding figures of several years, from funding_rows' total line of each."""
    return {
        year: {f.id: _number(getattr(total, str(f.filter("amount")))) for f in figures}
        for year, total in funding_totals(years).items()
    }


def _funding(year: int, figures: Sequence[FigureDef]) -> Mapping[str, Number]:
    return _funding_years([year], figures)[year]


def _compensation(year: int, figures: Sequence[FigureDef]) -> Mapping[str, Number]:
    found = compensation_statistics(year)
    values: dict[str, Number] = {
        "persons": found.persons,
        # The mean per person; equal to each payment when all are equal (2020).
        "amount_per_person": float(found.amount_per_person),
    }
    return {f.id: values[str(f.filter("value"))] for f in figures}


def _check_choice(name: str, allowed: tuple[str, ...]) -> Callable[[FigureDef], None]:
    def check(figure: FigureDef) -> None:
        if figure.filter(name) not in allowed:
            raise ValueError(f"filter {name} must be one of {', '.join(allowed)}")

    return check


def record_years() -> set[int]:
    """Years in which a rehabilitation course started, other costs were incurred or
    compensation was paid. A course's services running into the next weeks do not make
    that year a reporting year, and neither does a funding contract alone (planned,
    often for the next year)."""
    from thb.support.models import OtherEligibleCost, RehabilitationPlan, StateCompensation

    years = {d.year for d in RehabilitationPlan.objects.dates("starts_on", "year")}
    years |= {d.year for d in OtherEligibleCost.objects.dates("incurred_on", "year")}
    years |= {d.year for d in StateCompensation.objects.dates("paid_on", "year")}
    return years


def register() -> None:
    register_record_years(record_years)
    # Every model of the app: a write of any of them may change a figure.
    register_report_records(*apps.get_app_config("support").get_models())
    register_measure(
        "support.funding",
        records=_("state funding of the providers' rehabilitation contracts (EUR)"),
        compute=_funding,
        compute_years=_funding_years,
        filters={
            "amount": _("amount: planned for the year, spent in the year, planned for next year")
        },
        check=_check_choice("amount", FUNDING_AMOUNTS),
    )
    register_measure(
        "support.compensation",
        records=_("state compensation paid to victims in the year"),
        compute=_compensation,
        filters={"value": _("value: persons paid, or the mean amount per person")},
        check=_check_choice("value", COMPENSATION_VALUES),
    )
