"""Template helpers: profile labels in the current language."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from thb.core import forms as core_forms
from thb.profiles import get_profile

register = template.Library()


@register.simple_tag
def code_label(section: str, code: str) -> str:
    """The label of a profile code, e.g. {% code_label "regions" place.region %}."""
    if not code:
        return ""
    return get_profile().label(section, code, get_language() or "lv")


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
    return display(get_language() or "lv") if display else str(institution)
