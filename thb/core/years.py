"""The years that have records: every statistics and submissions page opens on the
latest of them, their year lists show each of them, and the report's earlier-year
columns use only them. Apps declare their years with register_record_years() in
AppConfig.ready() (thb/core/registry.py)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from thb.core.forms import year_param
from thb.core.models import RecordsGeneration
from thb.core.registry import registry


def record_years() -> set[int]:
    """The years with records, found once per change of the records (each app's
    DISTINCT queries scan whole tables) and kept on the generation row."""
    from thb.core.changes import current

    row = current()
    if not row._state.adding and row.years_at == row.generation:
        return set(row.years)
    years = found_record_years()
    # Kept only if no change came in meanwhile (the generation is still the one read).
    RecordsGeneration.objects.filter(pk=row.pk, generation=row.generation).update(
        years=sorted(years), years_at=row.generation
    )
    return years


def found_record_years() -> set[int]:
    """The years with records, asked of every app now."""
    years: set[int] = set()
    for source in registry.record_years:
        years |= source()
    return years


def default_year() -> int:
    """The latest year with records, or the last complete year where there are none."""
    years = record_years()
    return max(years) if years else timezone.localdate().year - 1


def year_choices() -> list[int]:
    """Every year with records, newest first (the default year at least)."""
    years = record_years() | {default_year()}
    return sorted(years, reverse=True)


def page_year(request: HttpRequest) -> int:
    """The ?year= a page asks for, else the latest year with records."""
    return year_param(request) or default_year()


def year_list(*extra: int | None) -> list[int]:
    """A page's year list: every year with records, and the years given (the one
    shown, the reporting year)."""
    years = set(year_choices()) | {year for year in extra if year is not None}
    return sorted(years, reverse=True)
