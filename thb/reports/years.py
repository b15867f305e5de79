"""The years that have records (thb/core/years.py, where every app's pages read them):
statistics pages open on the latest of them, their year lists show each of them, and
the report's earlier-year columns use only them."""

from __future__ import annotations

from thb.core.years import default_year, page_year, record_years, year_choices, year_list

__all__ = ["default_year", "page_year", "record_years", "year_choices", "year_list"]
