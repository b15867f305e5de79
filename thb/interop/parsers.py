"""Parsers for import columns, shared by every app's import types. Each takes the
stripped cell text and raises ValueError with a message that names the rule."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

_DATE_LV = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})\.?$")


def parse_date(text: str) -> datetime.date:
    """YYYY-MM-DD, or the Latvian DD.MM.YYYY; never in the future."""
    match = _DATE_LV.match(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            value = datetime.date(year, month, day)
        else:
            value = datetime.date.fromisoformat(text[:10] if "T" in text else text)
    except ValueError:
        raise ValueError(_("Not a date: write YYYY-MM-DD (or DD.MM.YYYY).")) from None
    if value > timezone.localdate():
        raise ValueError(_("The date cannot be in the future."))
    if value.year < 1900:
        raise ValueError(_("The date is before 1900."))
    return value


def int_between(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        cleaned = text.replace(" ", "").replace("\u00a0", "")
        if cleaned.endswith(".0"):  # a spreadsheet's integer written as a decimal
            cleaned = cleaned[:-2]
        if not re.fullmatch(r"[+-]?\d{1,12}", cleaned):
            raise ValueError(_("Not a whole number."))
        value = int(cleaned)
        if not low <= value <= high:
            raise ValueError(
                _("Enter a number from %(low)d to %(high)d.") % {"low": low, "high": high}
            )
        return value

    return parse


def decimal_between(low: Decimal, high: Decimal) -> Callable[[str], Decimal]:
    """Amounts: '1 935,00' and '1935.00' are both read (Latvian decimal comma)."""

    def parse(text: str) -> Decimal:
        cleaned = text.replace(" ", "").replace("\u00a0", "").replace(",", ".")
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            raise ValueError(_("Not a number.")) from None
        if not value.is_finite() or not low <= value <= high:
            raise ValueError(
                _("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high}
            )
        return value

    return parse


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
    code = text.upper()
    if len(code) != 2 or code not in countries:
        raise ValueError(_("Not an ISO 3166 two-letter country code."))
    return code


def parse_text(max_length: int) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if len(text) > max_length:
            raise ValueError(_("At most %(max)d characters.") % {"max": max_length})
        return text

    return parse


def parse_list(text: str) -> list[str]:
    """Several values in one cell, separated by ';' (or '|')."""
    return [part.strip() for part in re.split(r"[;|]", text) if part.strip()]
