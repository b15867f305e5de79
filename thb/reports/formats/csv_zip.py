"""The report as CSV: one file per table (UTF-8 with a byte-order mark, so that
Excel reads Latvian letters), zipped with a README that gives the edition, the
tables and the legend of the flags.

Numbers are written as numbers (a point before decimals); a hidden cell as its
flag's sign ("<3", "c"); a cell without a figure is empty."""

from __future__ import annotations

import csv
import io
import zipfile

from django.utils import translation
from django.utils.translation import gettext as _

from thb.reports.document import Document, Table
from thb.reports.formats.tabular import edition_label, generated_on, legend, stored_value

# Fixed timestamp for every member, so that the same document gives the same zip.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def table_csv(table: Table, threshold: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["", *table.columns])
    for row in table.rows:
        values = [stored_value(cell, threshold) for cell in row.cells]
        writer.writerow([row.label, *("" if v is None else v for v in values)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _readme(document: Document, files: list[tuple[str, str, Table]]) -> str:
    lines = [
        f"{document.title} {document.year}",
        document.issuer,
        f"{edition_label(document)}, {generated_on(document)}",
        "",
        _("One CSV file per table (UTF-8, comma-separated, a point before decimals)."),
        "",
    ]
    lines += [
        f"{name}: {_('Table %(number)s') % {'number': number}} {table.title}"
        for name, number, table in files
    ]
    lines += ["", _("Symbols in the tables")]
    lines += [f"{sign}: {meaning}" for sign, meaning in legend(document)]
    notes = [(name, note) for name, _number, table in files for note in table.notes]
    if notes:
        lines += ["", _("Notes")]
        lines += [f"{name}: {note}" for name, note in notes]
    return "\r\n".join(lines) + "\r\n"


def render_csv_zip(document: Document) -> bytes:
    with translation.override(document.language):
        files = [
            (f"{table.id}.csv", f"{chapter.number}.{index}", table)
            for chapter in document.chapters
            for index, table in enumerate(chapter.tables, start=1)
        ]
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            readme = zipfile.ZipInfo("README.txt", ZIP_DATE)
            archive.writestr(
                readme, ("\ufeff" + _readme(document, files)).encode("utf-8"), zipfile.ZIP_DEFLATED
            )
            for name, _number, table in files:
                info = zipfile.ZipInfo(name, ZIP_DATE)
                archive.writestr(info, table_csv(table, document.threshold), zipfile.ZIP_DEFLATED)
        return buffer.getvalue()
