"""Headers and values of import files in the words clerks use, for every import type.

A header may be a column's name (`sex`), or its label in any UI language ("Sex",
"Dzimums"); a value of a coded column may be the code in any case (`Female`), or the
code's label in any UI language ("sieviete", "female"), or a word the profile adds for
it (`interop.value_words`). Case, spaces and underscores do not matter.

Where the labels come from, so that a type declares nothing beyond its columns:
- a column's label is its `Column.label` (gettext_lazy, translated in the .po files),
  or its help when it has no label, and the profile's `interop.column_words`;
- a code's labels are those of the code lists that describe the column's codes: the
  country profile's lists ({lv, en} labels) and the models' choices (translated), a
  list being taken when it holds all the column's codes or only codes of the column.
A text that fits two columns or two codes is refused with the choices listed.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from pydantic import BaseModel

from thb.core.languages import languages
from thb.interop.registry import Column, ImportType


def normalise(text: str) -> str:
    """What two spellings of a header or value must share to be the same."""
    return " ".join(text.replace("_", " ").casefold().split())


def column_label(column: Column, language: str | None = None) -> str:
    """The column's human name in the language (default: the active one)."""
    label = column.label or column.help
    if language is None:
        return str(label)
    with translation.override(language):
        return str(label)


# Headers.


@dataclass
class HeaderProblem:
    column: str
    """The header as written in the file (or the column's name when it is missing)."""
    message: str


@dataclass
class Header:
    names: list[str]
    """For each position of the header: the column's name, or '' (not imported)."""
    problems: list[HeaderProblem] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """Unknown columns, as written, that the user confirmed to skip."""


def _header_index(import_type: ImportType) -> tuple[dict[str, str], dict[str, set[str]]]:
    from thb.profiles import get_profile

    words = get_profile().interop.column_words
    by_name = {normalise(c.name): c.name for c in import_type.columns}
    by_label: dict[str, set[str]] = defaultdict(set)
    for column in import_type.columns:
        for language in languages():
            by_label[normalise(column_label(column, language))].add(column.name)
        for per_language in words.get(column.name, {}).values():
            for word in per_language:
                by_label[normalise(word)].add(column.name)
    return by_name, by_label


def resolve_header(import_type: ImportType, header: list[str], *, skip_unknown: bool) -> Header:
    """Which column each header cell is. Problems: a header that fits several columns,
    a column given twice, an unknown column (unless `skip_unknown`: the user confirmed
    that such columns are skipped), a missing required column."""
    by_name, by_label = _header_index(import_type)
    out = Header(names=[])
    seen: dict[str, str] = {}
    unknown: list[str] = []
    for position, text in enumerate(header, start=1):
        key = normalise(text)
        matches = {by_name[key]} if key in by_name else by_label.get(key, set())
        name = ""
        if not key:
            unknown.append(_("(column %(number)d without a header)") % {"number": position})
        elif len(matches) > 1:
            out.problems.append(
                HeaderProblem(
                    text,
                    _("The header fits several columns: %(names)s. Write the column's name.")
                    % {"names": ", ".join(sorted(matches))},
                )
            )
        elif not matches:
            unknown.append(text)
        elif (match := next(iter(matches))) in seen:
            out.problems.append(
                HeaderProblem(
                    text,
                    _("The column appears twice (%(first)s and %(second)s).")
                    % {"first": seen[match], "second": text},
                )
            )
        else:
            name = match
            seen[match] = text
        out.names.append(name)
    if skip_unknown:
        out.skipped = unknown
    else:
        allowed = ", ".join(c.name for c in import_type.columns)
        for text in unknown:
            out.problems.append(
                HeaderProblem(
                    text,
                    _(
                        "Unknown column. The columns of this type are: %(names)s (or their "
                        "labels). To import the file without the unknown columns, confirm "
                        "that they are skipped (--ignore-columns, or the box on the import "
                        "page)."
                    )
                    % {"names": allowed},
                )
            )
    for column in import_type.columns:
        if column.required and column.name not in seen:
            out.problems.append(HeaderProblem(column.name, _("The required column is missing.")))
    return out


# Values of coded columns.


def _labelled_items(value: Any) -> Iterator[dict[str, list[str]]]:
    """Every code list of a profile (lists of items with a code and an {lv, en} label)."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _labelled_items(getattr(value, name))
    elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
        first = value[0]
        label = getattr(first, "label", None)
        if isinstance(getattr(first, "code", None), str) and isinstance(label, BaseModel):
            yield {item.code: [str(v) for v in item.label.model_dump().values()] for item in value}
        else:
            for item in value:
                yield from _labelled_items(item)


def _model_choices() -> Iterator[dict[str, list[str]]]:
    from django.apps import apps

    for model in apps.get_models():
        for model_field in model._meta.get_fields():
            choices = getattr(model_field, "flatchoices", None)
            if not choices or not all(isinstance(code, str) for code, _label in choices):
                continue
            labels: dict[str, list[str]] = {code: [] for code, _label in choices}
            for language in languages():
                with translation.override(language):
                    for code, label in choices:
                        labels[code].append(str(label))
            yield labels


def _code_lists(profile: Any) -> list[dict[str, list[str]]]:
    cache = _cache(profile)
    if "lists" not in cache:
        cache["lists"] = [*_labelled_items(profile), *_model_choices()]
    return cache["lists"]


@dataclass(frozen=True)
class Vocabulary:
    by_code: dict[str, frozenset[str]]
    """Normalised code -> the codes it spells (case-insensitive codes)."""
    by_label: dict[str, frozenset[str]]
    """Normalised label or word -> the codes it names."""
    labels: dict[str, str]
    """Code -> a label in the language the vocabulary was built in (for messages)."""


def _index(pairs: Iterable[tuple[str, str]]) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for text, code in pairs:
        if normalise(text):
            out[normalise(text)].add(code)
    return {key: frozenset(codes) for key, codes in out.items()}


# Per country profile object (a profile is immutable once loaded): its code lists and
# the vocabularies built from them.
_CACHES: dict[int, tuple[Any, dict[Any, Any]]] = {}


def _cache(profile: Any) -> dict[Any, Any]:
    entry = _CACHES.get(id(profile))
    if entry is None or entry[0] is not profile:
        if len(_CACHES) >= 4:
            _CACHES.clear()
        entry = _CACHES[id(profile)] = (profile, {})
    return entry[1]


def vocabulary(codes: tuple[str, ...], language: str = "") -> Vocabulary:
    """The words that name each of these codes (in the active country profile)."""
    from thb.profiles import get_profile

    profile = get_profile()
    cache = _cache(profile)
    if (codes, language) not in cache:
        cache[codes, language] = _vocabulary(codes, language, profile)
    return cache[codes, language]


def _vocabulary(codes: tuple[str, ...], language: str, profile: Any) -> Vocabulary:
    wanted = set(codes)
    labels: list[tuple[str, str]] = []
    shown: dict[str, str] = {}
    position = languages().index(language) if language in languages() else 0
    for source in _code_lists(profile):
        keys = set(source)
        if keys <= wanted or wanted <= keys:
            for code in keys & wanted:
                labels.extend((label, code) for label in source[code])
                shown.setdefault(code, source[code][min(position, len(source[code]) - 1)])
    for code, words in profile.interop.value_words.items():
        if code in wanted:
            labels.extend((word, code) for per_language in words.values() for word in per_language)
    return Vocabulary(
        by_code=_index((code, code) for code in codes),
        by_label=_index(labels),
        labels={
            code: label for code, label in shown.items() if normalise(label) != normalise(code)
        },
    )


def code_for(allowed: list[str], text: str) -> tuple[str | None, str | None]:
    """(the code, None) or (None, the rule broken) for a value of a coded column."""
    if text in allowed:
        return text, None
    words = vocabulary(tuple(allowed), translation.get_language() or "")
    key = normalise(text)
    codes = words.by_code.get(key) or words.by_label.get(key)
    if codes is None:
        listed = ", ".join(allowed[:30]) + (", …" if len(allowed) > 30 else "")
        return None, _("Not an allowed code (%(codes)s).") % {"codes": listed}
    if len(codes) > 1:
        choices = ", ".join(
            f"{code} ({words.labels[code]})" if code in words.labels else code
            for code in sorted(codes)
        )
        return None, _("The value may mean several codes: %(choices)s. Write the code.") % {
            "choices": choices
        }
    return next(iter(codes)), None


def code_labels(allowed: list[str]) -> dict[str, str]:
    """Code -> its label in the active language, where it has one (for help texts)."""
    return vocabulary(tuple(allowed), translation.get_language() or "").labels


# Countries.


@functools.lru_cache(maxsize=1)
def _country_names() -> dict[str, frozenset[str]]:
    from django_countries import countries

    pairs: list[tuple[str, str]] = []
    for language in languages():
        with translation.override(language):
            pairs.extend((str(name), code) for code, name in countries)
    return _index(pairs)


def country_code(text: str) -> str | None:
    """The ISO 3166 two-letter code of a country written as its code (LV, LVA) or its
    name in a UI language ("Latvija", "Latvia"); None if it is none of them."""
    from django_countries import countries

    from thb.core.validators import is_country

    upper = text.strip().upper()
    if len(upper) == 2 and is_country(upper):
        return upper
    if len(upper) == 3 and countries.alpha2(upper):
        return str(countries.alpha2(upper))
    codes = _country_names().get(normalise(text))
    return next(iter(codes)) if codes is not None and len(codes) == 1 else None
