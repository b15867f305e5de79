"""Numbers, amounts of money and percentages in the active language's conventions, one
set of functions for pages, PDF and spreadsheets (issue 10, part 4).

Babel's locale data decide the conventions: Latvian writes 67 555 and 135 110,00 €
(a no-break space between thousands, a decimal comma), English 67,555 and €135,110.00.
Templates use the filters of thb/core/templatetags/thb.py (`number`, `amount`, `money`,
`percent`); spreadsheets keep numbers as numbers and take `XLSX_*` number formats.

Dates follow the same idea (`day`, `moment`): Babel's numeric date with a four-digit
year (CLDR skeleton "yMMdd"), Latvian 4.05.2020., English 04/05/2020 (English as written
in Europe, day before month: DATE_LOCALES), and 24-hour times in the profile's time zone.
Machine-readable values (`<time datetime=...>`, form inputs, CSV/JSON, URLs, audit
details) stay ISO."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import DateTimePattern, format_time, match_skeleton, parse_pattern
from babel.numbers import format_currency, format_decimal, format_percent
from django.utils import timezone

from thb.core.languages import current_language

CURRENCY = "EUR"
# Excel number formats for numeric cells: the reader's own Excel shows them in its
# locale's separators, the cell stays a number.
XLSX_INTEGER = "#,##0"
XLSX_AMOUNT = "#,##0.00"
XLSX_PERCENT = "0.0%"
# The locale whose date conventions a language uses, where it is not the language itself:
# English pages write the day before the month (04/05/2020), not Babel's en_US 5/4/2020.
DATE_LOCALES = {"en": "en_GB"}
DATE_SKELETON = "yMMdd"


def _locale(language: str | None) -> str:
    return (language or current_language()).split("-")[0]


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


def _date_locale(language: str | None) -> str:
    locale = _locale(language)
    return DATE_LOCALES.get(locale, locale)


def local_moment(value: datetime.datetime) -> datetime.datetime:
    """An aware moment in the profile's time zone (country.time_zone)."""
    from thb.profiles import get_profile

    zone = ZoneInfo(get_profile().country.time_zone)
    if timezone.is_naive(value):
        return value
    return timezone.localtime(value, zone)


def day(value: Any, language: str | None = None) -> str:
    """A calendar day: 2020-05-04 → "4.05.2020." (lv), "04/05/2020" (en). A datetime
    is shown as its day in the profile's time zone, and an ISO day kept as text (the JSON
    of timeline events) is read as one; "" for None, other values unchanged."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime.datetime):
        value = local_moment(value).date()
    if not isinstance(value, datetime.date):
        return str(value)
    pattern, locale = _day_pattern(_date_locale(language))
    return str(pattern.apply(value, locale))


@cache
def _day_pattern(locale: str) -> tuple[DateTimePattern, Locale]:
    """The locale's pattern for DATE_SKELETON, as babel's format_skeleton picks it,
    matched once per locale: format_skeleton matches the skeleton against every
    pattern of the locale on each call, about 0.3 ms, two days a row of a list page."""
    parsed = Locale.parse(locale)
    skeleton = DATE_SKELETON
    if skeleton not in parsed.datetime_skeletons:
        skeleton = match_skeleton(skeleton, parsed.datetime_skeletons) or skeleton
    return parse_pattern(parsed.datetime_skeletons[skeleton]), parsed


def moment(value: Any, language: str | None = None) -> str:
    """A moment in the profile's time zone: "4.05.2020. 13:05" (lv), "04/05/2020 13:05" (en)."""
    if not isinstance(value, datetime.datetime):
        return day(value, language)
    local = local_moment(value)
    shown = format_time(local.time(), "HH:mm", locale=_date_locale(language))
    return f"{day(local.date(), language)} {shown}"


# Spreadsheet cells hold numbers and dates as such, with a number format: the
# spreadsheet shows the separators of the reader's own settings for these codes.
SPREADSHEET_INTEGER = "#,##0"
SPREADSHEET_DECIMAL = "#,##0.00"


def spreadsheet_date_format(language: str | None = None) -> str:
    """The number format of a date cell, as the language writes a day (the pattern
    `day()` uses): "d.mm.yyyy." (lv), "dd/mm/yyyy" (en)."""
    locale = Locale.parse(_date_locale(language))
    pattern = locale.datetime_skeletons[match_skeleton(DATE_SKELETON, locale.datetime_skeletons)]
    text = str(pattern.pattern)
    return text.replace("y", "yyyy").replace("yyyyyyyy", "yyyy").replace("M", "m")
