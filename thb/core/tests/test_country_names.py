"""Country names kept per language: the same names and order django-countries gives,
in the active language; the template filter takes a code or a Country."""

from __future__ import annotations

from django.template import Context, Template
from django.utils import translation
from django_countries import countries
from django_countries.fields import Country

from thb.core.forms import country_name, country_names


def test_the_names_are_django_countries_in_the_active_language() -> None:
    for language in ("lv", "en"):
        with translation.override(language):
            assert country_names() == tuple((code, str(name)) for code, name in countries)
            assert country_name("DE") == str(countries.name("DE"))
    with translation.override("lv"):
        latvian = country_name("DE")
    with translation.override("en"):
        assert country_name("DE") == "Germany" != latvian
        assert country_name("") == country_name(None) == country_name("XX") == ""


def test_the_filter_takes_a_country_or_a_code() -> None:
    template = Template("{% load thb %}[{{ c|country_name }}][{{ code|country_name }}]")
    with translation.override("en"):
        text = template.render(Context({"c": Country("TJ"), "code": "LV"}))
    assert text == "[Tajikistan][Latvia]"
