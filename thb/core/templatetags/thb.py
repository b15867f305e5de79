"""Template helpers: profile labels in the current language, and numbers and dates in
its conventions (thb/core/formats.py)."""

from __future__ import annotations

from collections.abc import Mapping

from django import template

from thb.core import formats
from thb.core import forms as core_forms
from thb.core.languages import country_language, current_language, in_language
from thb.profiles import get_profile

register = template.Library()


@register.simple_tag
def code_label(section: str, code: str) -> str:
    """The label of a profile code, e.g. {% code_label "regions" place.region %}."""
    if not code:
        return ""
    return get_profile().label(section, code, current_language())


@register.simple_tag(name="country_language")
def country_language_tag() -> str:
    """The country's own language code (e.g. for the `lang` of a text kept in it)."""
    return country_language()


@register.filter
def localized(label: object) -> str:
    """A profile label or a stored language map (a text per language, e.g.
    Institution.names) in the language of the page, else the country's."""
    if isinstance(label, Mapping):
        return in_language(label, current_language())
    get = getattr(label, "get", None)
    return str(get(current_language())) if callable(get) else str(label or "")


@register.filter
def country_name(country: object) -> str:
    """A country (code or django-countries Country) by name in the current language,
    from names kept per language: {{ person.citizenship|country_name }}."""
    return core_forms.country_name(getattr(country, "code", country))


@register.filter
def institution_name(institution: object) -> str:
    if institution is None:
        return ""
    display = getattr(institution, "display_name", None)
    return display(current_language()) if display else str(institution)


# Numbers in the active language's conventions (thb/core/formats.py).


@register.filter(name="number")
def number_filter(value: object, decimals: object = None) -> str:
    """{{ n|number }} → "67 555"; {{ hours|number:1 }} → "2,5"."""
    return formats.number(value, int(str(decimals)) if decimals not in (None, "") else None)


@register.filter(name="amount")
def amount_filter(value: object) -> str:
    """{{ cost|amount }} → "135 110,00" (in a column headed EUR)."""
    return formats.amount(value)


@register.filter(name="money")
def money_filter(value: object) -> str:
    """{{ cost|money }} → "135 110,00 €"."""
    return formats.money(value)


@register.filter(name="percent")
def percent_filter(value: object, decimals: object = 1) -> str:
    """{{ share|percent }} with the share in percent: 52.3 → "52,3%"."""
    return formats.percent(value, int(str(decimals)))


# Dates in the active language's conventions; `<time datetime=...>` keeps ISO.


@register.filter(name="day")
def day_filter(value: object) -> str:
    """{{ case.intake_date|day }} → "4.05.2020." (lv), "04/05/2020" (en)."""
    return formats.day(value)


@register.filter(name="moment")
def moment_filter(value: object) -> str:
    """{{ event.at|moment }} → "4.05.2020. 13:05" in the profile's time zone."""
    return formats.moment(value)
