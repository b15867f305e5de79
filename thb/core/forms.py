"""Form helpers shared by the domain apps."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from thb.core.params import YEAR_MAX, YEAR_MIN


def add_service_errors(
    form: forms.Form, exc: ValidationError, aliases: Mapping[str, str] | None = None
) -> None:
    """Show a service's ValidationError at the form fields it names (through `aliases`
    where the service's name differs from the field's); anything else above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        target = (aliases or {}).get(name, name)
        form.add_error(target if target in form.fields else None, errors)


def year_param(request: HttpRequest, default: int | None = None) -> int | None:
    """The ?year= of a page (a whole number from YEAR_MIN to YEAR_MAX), else `default`."""
    raw = request.GET.get("year", "")
    try:
        year = int(raw)
    except ValueError:
        return default
    return year if YEAR_MIN <= year <= YEAR_MAX else default
