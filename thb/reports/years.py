"""The years that have records: statistics pages open on the latest of them, their
year lists show each of them, and the report's earlier-year columns use only them."""

from __future__ import annotations

from django.utils import timezone

from thb.core.registry import registry


def record_years() -> set[int]:
    years: set[int] = set()
    for source in registry.record_years:
        years |= source()
    return years


def default_year() -> int:
    """The latest year with records, or the last complete year where there are none."""
    years = record_years()
    return max(years) if years else timezone.localdate().year - 1


def year_choices() -> list[int]:
    """Every year with records, newest first (the current year at least)."""
    years = record_years() | {default_year()}
    return sorted(years, reverse=True)
