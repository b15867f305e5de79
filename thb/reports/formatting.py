"""Numbers as the report's language writes them (Babel's CLDR data): Latvian uses a
(non-breaking) space to group thousands and a decimal comma; English a comma and a
point. Every format of the report formats through here, and here through THB's one
set of number formats (thb/core/formats.py)."""

from __future__ import annotations

from thb.core import formats
from thb.reports.document import PRIMARY, Cell, Number


def number(value: Number | None, language: str) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and not value.is_integer():
        return formats.number(value, 2, language)
    return formats.number(int(value), 0, language)


def flag_text(flag: str, threshold: int) -> str:
    """How a hidden value is shown: "<3" for a small count, "c" for a count hidden to
    protect another."""
    return f"<{threshold}" if flag == PRIMARY else "c"


def cell_text(cell: Cell, language: str, threshold: int) -> str:
    """What a table shows for a cell: the number, or the flag of a hidden one."""
    if cell.flag:
        return flag_text(cell.flag, threshold)
    return number(cell.value, language)
