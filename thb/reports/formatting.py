"""Numbers as the report's language writes them (Babel's CLDR data): Latvian uses a
(non-breaking) space to group thousands and a decimal comma; English a comma and a
point. Every format of the report formats through here."""

from __future__ import annotations

from babel.numbers import format_decimal
from django.utils import translation
from django.utils.translation import gettext as _

from thb.reports.document import PRIMARY, SECONDARY, Cell, Number

# The mark of a cell hidden only to protect others (Eurostat marks confidential
# cells "c"); a primary cell shows "<threshold".
SECONDARY_MARK = "c"


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
        return SECONDARY_MARK
    return number(cell.value, language)


def flag_legend(language: str, threshold: int) -> list[tuple[str, str]]:
    """(mark, meaning) of each flag of the public edition, for the legend every
    format prints under (or beside) its tables."""
    with translation.override(language):
        meanings = {
            PRIMARY: _(
                "a count of persons from 1 to %(highest)s, not published so that no "
                "person can be recognised"
            )
            % {"highest": threshold - 1},
            SECONDARY: _(
                "confidential: not published so that a small count cannot be worked out "
                "from the published totals"
            ),
        }
    return [(f"<{threshold}", meanings[PRIMARY]), (SECONDARY_MARK, meanings[SECONDARY])]
