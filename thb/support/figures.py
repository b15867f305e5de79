"""The support.* figures of the annual report, computed from the records."""

from __future__ import annotations

from decimal import Decimal

from thb.support.selectors import compensation_statistics, funding_rows


def _number(value: Decimal) -> int | float:
    """Whole euros as int (as the report prints them), otherwise a float."""
    return int(value) if value == value.to_integral_value() else float(value)


def figures(year: int) -> dict[str, int | float]:
    total = funding_rows(year=year)[-1]
    compensation = compensation_statistics(year)
    return {
        "support.funding.planned_eur": _number(total.planned),
        "support.funding.spent_eur": _number(total.spent),
        "support.funding.planned_next_year_eur": _number(total.planned_next_year),
        "support.compensation.persons": compensation.persons,
        # The mean per person; equal to each payment when all are equal (2020).
        "support.compensation.amount_per_person_eur": float(compensation.amount_per_person),
    }
