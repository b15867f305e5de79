"""What every format shares: a cell's value or flag as a spreadsheet stores it, the
legend of the flags, and the file name of an edition."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _

from thb.reports.document import PRIMARY, SECONDARY, Cell, Document, Number, Table


def flag_text(flag: str, threshold: int) -> str:
    """The sign a hidden cell shows: "<3" (primary) or "c" (secondary)."""
    return f"<{threshold}" if flag == PRIMARY else "c"


def stored_value(cell: Cell, threshold: int) -> Number | str | None:
    """A cell as a spreadsheet or CSV stores it: the number, the flag's sign of a
    hidden cell, or None where the layout has no figure."""
    if cell.flag:
        return flag_text(cell.flag, threshold)
    if cell.figure is None:
        return None
    return cell.value


def legend(document: Document) -> list[tuple[str, str]]:
    """(sign, meaning) of each flag the public edition may show, in the active
    language (call under translation.override(document.language))."""
    threshold = document.threshold
    return [
        (
            flag_text(PRIMARY, threshold),
            _("fewer than %(threshold)s persons: not published, so that no one can be recognised")
            % {"threshold": threshold},
        ),
        (
            flag_text(SECONDARY, threshold),
            _("confidential: hidden so that a small count cannot be worked out from the totals"),
        ),
    ]


def has_hidden(table: Table) -> bool:
    return any(cell.hidden for cell in table.figure_cells)


def edition_label(document: Document) -> str:
    return _("public edition") if document.edition == "public" else _("internal edition")


def generated_on(document: Document) -> str:
    """The date the document was built, as the document's language writes it."""
    stamp = str(document.metadata.get("generated_at", ""))
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    from babel.dates import format_date

    locale = "en_GB" if document.language.startswith("en") else "lv_LV"
    return format_date(moment.date(), format="long", locale=locale)


def filename(document: Document, extension: str) -> str:
    return f"thb-report-{document.year}-{document.language}-{document.edition}.{extension}"
