"""Form helpers shared by the domain apps."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.http import HttpRequest
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django_countries import countries

from thb.core.validators import year


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
    """The ?year= of a page (a whole number within the profile's years), else `default`."""
    raw = request.GET.get("year", "")
    if not raw.strip().isdigit() or len(raw.strip()) > 4:
        return default
    try:
        return year(int(raw))
    except ValidationError:
        return default


class NormalizedChoices(list[tuple[str, str]], BaseChoiceIterator):
    """A flat list of (value, label) string pairs that Django takes as it is. Setting a
    ChoiceField's choices normalises them item by item (`normalize_choices`), twice
    (field and widget): about 1 ms of CPU for the ~250 countries (measured under load),
    on every request of a page with a country select. A BaseChoiceIterator is passed
    through unchanged; this one is still a list."""


def country_names() -> tuple[tuple[str, str], ...]:
    """(code, name) of every country, sorted by the name in the active language, built
    once per language (django-countries translates and sorts them on every call)."""
    return _country_names(get_language() or "lv")


def country_name(code: object) -> str:
    """A country's name in the active language ("" for none or an unknown code)."""
    return _country_name_map(get_language() or "lv").get(str(code or ""), "")


# Each called in its key's language, the active one.
@lru_cache(maxsize=16)
def _country_names(language: str) -> tuple[tuple[str, str], ...]:
    return tuple((str(code), str(name)) for code, name in countries)


@lru_cache(maxsize=16)
def _country_name_map(language: str) -> dict[str, str]:
    return dict(_country_names(language))


class LongSelect(forms.Select):
    """A <select> for long, flat choice lists (the ~250 countries): the same HTML as
    Django's Select, but the options are written directly (and kept per choice list,
    language and selection) instead of through one template render each, which made
    the country filter most of the case list's time. Grouped choices are not
    supported; use forms.Select for those."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        if any(isinstance(label, list | tuple) for _code, label in self.choices):
            raise TypeError("LongSelect does not render grouped choices")
        choices = tuple((("" if c is None else str(c)), str(label)) for c, label in self.choices)
        options = _options(choices, tuple(self.format_value(value)), self.allow_multiple_selected)
        return format_html("<select{}>\n{}\n</select>", flatatt(final), options)


@lru_cache(maxsize=256)
def _options(
    choices: tuple[tuple[str, str], ...], values: tuple[str, ...], multiple: bool
) -> SafeString:
    selected = set(values)
    lines = []
    for code, label in choices:
        chosen = code in selected
        lines.append(
            format_html(
                '<option value="{}"{}>{}</option>', code, " selected" if chosen else "", label
            )
        )
        if chosen and not multiple:
            selected = set()
    return mark_safe("\n".join(lines))  # noqa: S308  (each line escaped by format_html)
