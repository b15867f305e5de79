"""The languages of THB's pages and documents, from the country profile (`country.
languages`, read into settings.LANGUAGES and LANGUAGE_CODE at start): the first is the
country's own, in which official documents (the commission's minutes, the legal
citations of the residence notices) are written and which a page without an active
language shows. Code never names a language itself."""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.utils import translation


def country_language() -> str:
    """The country's own language (the profile's first)."""
    return str(settings.LANGUAGE_CODE)


def current_language() -> str:
    """The language of the page or command being served (the country's own when no
    language is active)."""
    return translation.get_language() or country_language()


def language_name(code: str) -> str:
    """A language's name in the active language (Django's names: "Latvian",
    "latviešu")."""
    return str(translation.get_language_info(code)["name_translated"])


def languages() -> list[str]:
    """Every language THB shows, the country's own first."""
    return [code for code, _name in settings.LANGUAGES]


def in_language(texts: Mapping[str, str] | None, language: str, *, fallback: bool = True) -> str:
    """A language map's text ({language code: text}, as a profile Label or a model's
    JSON column such as Institution.names stores it) in `language` or its base language
    ("en" for "en-gb"); else, with `fallback`, in the country's own language; else "".
    Without `fallback` a language without its text reads "" (the report's chapter
    texts: an empty language keeps that language's draft)."""
    texts = texts or {}
    found = texts.get(language) or texts.get(language.split("-")[0])
    if found or not fallback:
        return found or ""
    return texts.get(country_language()) or ""
