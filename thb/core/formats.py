"""Numbers, amounts of money and percentages in the active language's conventions, one
set of functions for pages, PDF and spreadsheets (issue 10, part 4).

Babel's locale data decide the conventions: Latvian writes 67 555 and 135 110,00 €
(a no-break space between thousands, a decimal comma), English 67,555 and €135,110.00.
Templates use the filters of thb/core/templatetags/thb.py (`number`, `amount`, `money`,
`percent`); spreadsheets keep numbers as numbers and take `XLSX_*` number formats."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from babel.numbers import format_currency, format_decimal, format_percent
from django.utils.translation import get_language

CURRENCY = "EUR"
# Excel number formats for numeric cells: the reader's own Excel shows them in its
# locale's separators, the cell stays a number.
XLSX_INTEGER = "#,##0"
XLSX_AMOUNT = "#,##0.00"
XLSX_PERCENT = "0.0%"


def _locale(language: str | None) -> str:
    return (language or get_language() or "lv").split("-")[0]


def _number(value: Any) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def number(value: Any, decimals: int | None = None, language: str | None = None) -> str:
    """67555 → "67 555" (lv), "67,555" (en); `decimals` fixes the number of decimals."""
    amount = _number(value)
    if amount is None:
        return "" if value is None else str(value)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") if decimals is not None else None
    return format_decimal(amount, format=pattern, locale=_locale(language))


def amount(value: Any, language: str | None = None) -> str:
    """An amount in euros without the sign (for columns headed "EUR"): "135 110,00"."""
    return number(value, 2, language)


def money(value: Any, language: str | None = None) -> str:
    """An amount in euros with the sign: "135 110,00 €" (lv), "€135,110.00" (en)."""
    figure = _number(value)
    if figure is None:
        return "" if value is None else str(value)
    return format_currency(figure, CURRENCY, locale=_locale(language))


def percent(value: Any, decimals: int = 1, language: str | None = None) -> str:
    """A share given in percent (52.3 → "52,3 %" as Latvian writes it: Babel's "52,3%")."""
    figure = _number(value)
    if figure is None:
        return "" if value is None else str(value)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "%"
    return format_percent(figure / 100, format=pattern, locale=_locale(language))
