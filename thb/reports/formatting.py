"""Numbers as the report's language writes them (Babel's CLDR data): Latvian uses a
(non-breaking) space to group thousands and a decimal comma; English a comma and a
point. Every format of the report formats through here."""

from __future__ import annotations

from babel.numbers import format_decimal

from thb.reports.document import PRIMARY, Cell, Number


def number(value: Number | None, language: str) -> str:
    if value is None:
        return ""
    locale = "en_GB" if language.startswith("en") else "lv_LV"
    if isinstance(value, float) and not value.is_integer():
        return format_decimal(value, format="#,##0.00", locale=locale)
    return format_decimal(int(value), format="#,##0", locale=locale)


def cell_text(cell: Cell, language: str, threshold: int) -> str:
    """What a table shows for a cell: the number, or the flag of a hidden one."""
    if cell.flag == PRIMARY:
        return f"<{threshold}"
    if cell.flag:
        return "c"
    return number(cell.value, language)
