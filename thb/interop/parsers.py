"""Parsers for import columns, shared by every app's import types. Each takes the
stripped cell text and raises ValueError with a message that names the rule."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from thb.core import validators
from thb.interop.labels import country_code

_DATE_LV = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})\.?$")
_LIST_SEPARATOR = re.compile(r"[;|]")


def parse_date(text: str) -> datetime.date:
    """YYYY-MM-DD, or the Latvian DD.MM.YYYY; a past date within the profile's limits
    (thb.core.validators.past_date, the rule of the forms and services too)."""
    match = _DATE_LV.match(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            value = datetime.date(year, month, day)
        else:
            value = datetime.date.fromisoformat(text[:10] if "T" in text else text)
    except ValueError:
        raise ValueError(_("Not a date: write YYYY-MM-DD (or DD.MM.YYYY).")) from None
    return validators.past_date(value)


def _number_text(text: str) -> str:
    # '1 935,00' and '1935.00' are both read (Latvian decimal comma, spaces grouping).
    return text.replace(" ", "").replace("\u00a0", "").replace(",", ".")


def parse_integer(check: Callable[..., int], **options: Any) -> Callable[[str], int]:
    """A whole number checked by a validator of thb.core.validators (count, age, …)."""

    def parse(text: str) -> int:
        cleaned = _number_text(text)
        if cleaned.endswith(".0"):  # a spreadsheet's integer written as a decimal
            cleaned = cleaned[:-2]
        if not re.fullmatch(r"[+-]?\d{1,12}", cleaned):
            raise ValueError(_("Not a whole number."))
        return check(int(cleaned), **options)

    parse.cell_kind = "integer"  # type: ignore[attr-defined]
    return parse


def parse_decimal(check: Callable[..., Decimal], **options: Any) -> Callable[[str], Decimal]:
    """An amount or hours, checked by a validator of thb.core.validators."""

    def parse(text: str) -> Decimal:
        cleaned = _number_text(text)
        if not re.fullmatch(r"[+-]?(\d{1,15}(\.\d*)?|\.\d+)", cleaned):
            raise ValueError(_("Not a number."))
        return check(Decimal(cleaned), **options)

    parse.cell_kind = "decimal"  # type: ignore[attr-defined]
    return parse


parse_date.cell_kind = "date"  # type: ignore[attr-defined]


def cell_kind(parse: Callable[[str], Any]) -> str | None:
    """What a column's cells hold in a spreadsheet: "date", "integer", "decimal", or
    None for text (codes, names, lists)."""
    return getattr(parse, "cell_kind", None)


_TRUE = {"true", "yes", "1", "jā", "ja", "y"}
_FALSE = {"false", "no", "0", "nē", "ne", "n"}


def parse_bool(text: str) -> bool:
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError(_("Write true or false (yes/no, jā/nē)."))


def parse_country(text: str) -> str:
    """An ISO 3166 code (LV, LVA) or the country's name in a UI language ("Latvija")."""
    code = country_code(text)
    if code is None:
        raise ValueError(_("Not a country: write its ISO 3166 two-letter code (LV) or its name."))
    return code


def parse_text(kind: validators.TextKind | int) -> Callable[[str], str]:
    """A text of a kind (`name`, `line`, `notes`: the profile's limits) or of a fixed
    database width: thb.core.validators.text, the rule of the forms and services too."""

    def parse(text: str) -> str:
        try:
            return validators.text(text, kind=kind)
        except ValidationError as exc:
            raise ValueError(" ".join(exc.messages)) from None

    return parse


def parse_list(text: str) -> list[str]:
    """Several values in one cell, separated by ';' (or '|')."""
    return [part.strip() for part in _LIST_SEPARATOR.split(text) if part.strip()]
