"""Downloadable import templates. The CSV template starts with '#' lines describing
every column and its allowed codes (the reader skips them); the XLSX template has the
header on its first sheet and the same help on a second sheet, plus a comment on each
header cell; its date and number columns carry a number format (a date as the
language writes it, numbers with thousands separators), so that what a clerk types
there is a date or a number cell, shown in the reader's conventions. Neither contains
a data row: the example is in the help, so that a filled-in template does not import
the example by accident. (The CSV template is for files, not people: ISO dates and
a decimal point, or the Latvian forms, are read.)"""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from thb.core import formats
from thb.interop.labels import code_labels, column_label
from thb.interop.parsers import cell_kind
from thb.interop.registry import Column, ImportType

MAX_CODES_LISTED = 60


def header_names(import_type: ImportType) -> list[str]:
    """The header row of a template: the columns' labels in the active language where
    that is not English (a Latvian clerk gets Latvian headers), else their names. Both
    import back (thb/interop/labels.py)."""
    if (translation.get_language() or "").startswith("en"):
        return [c.name for c in import_type.columns]
    return [column_label(c) for c in import_type.columns]


def allowed_codes(column: Column, limit: int = MAX_CODES_LISTED) -> str:
    """The column's codes, each with its label in the active language ("female
    (sieviešu)"), so that a clerk sees what a code means."""
    if column.codes is None:
        return ""
    codes = column.codes()
    labels = code_labels(codes)
    listed = ", ".join(
        f"{code} ({labels[code]})" if code in labels else code for code in codes[:limit]
    )
    return listed + (", …" if len(codes) > limit else "")


def column_help(column: Column) -> str:
    """What goes in the column, in the active language."""
    parts = [_("required") if column.required else _("optional"), str(column.help)]
    if column.codes is not None:
        parts.append(
            _("allowed codes (or their labels): %(codes)s") % {"codes": allowed_codes(column)}
        )
    if column.example:
        parts.append(_("example: %(example)s") % {"example": column.example})
    return "; ".join(parts)


def csv_template(import_type: ImportType) -> str:
    out = io.StringIO()
    out.write(f"# THB import: {import_type.name} ({import_type.label})\n")
    if import_type.description:
        out.write(f"# {import_type.description}\n")
    out.write(
        "# "
        + _(
            "Lines starting with # are ignored. Separator , or ; or tab; UTF-8, UTF-16 or "
            "the country's Windows encoding. Headers: the column names or their labels."
        )
        + "\n"
    )
    if import_type.key_column:
        out.write(
            "# "
            + _("Rows whose %(column)s is already imported are not created again.")
            % {"column": import_type.key_column}
            + "\n"
        )
    for column in import_type.columns:
        out.write(
            f"# {column_label(column)} ({column.name}): {column_help(column)}\n".replace("\r", " ")
        )
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header_names(import_type))
    return out.getvalue()


def example_csv(import_type: ImportType, rows: list[dict[str, str]] | None = None) -> str:
    """A complete file: the header and the given rows (default: the example row)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.name for c in import_type.columns])
    for row in rows if rows is not None else [import_type.example_row()]:
        writer.writerow([row.get(c.name, "") for c in import_type.columns])
    return out.getvalue()


def xlsx_template(import_type: ImportType, rows: list[dict[str, str]] | None = None) -> bytes:
    """The XLSX template (no data rows unless given, as in tests)."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = import_type.name[:31]
    headers = header_names(import_type)
    sheet.append(headers)
    for index, column in enumerate(import_type.columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.comment = Comment(f"{column.name}: {column_help(column)}"[:2000], "THB")
        sheet.column_dimensions[cell.column_letter].width = max(14, len(headers[index - 1]) + 2)
    number_formats = {
        "date": formats.spreadsheet_date_format(),
        "integer": formats.SPREADSHEET_INTEGER,
        "decimal": formats.SPREADSHEET_DECIMAL,
    }
    for index, column in enumerate(import_type.columns, start=1):
        kind = cell_kind(column.parse)
        if kind is not None:
            letter = sheet.cell(row=1, column=index).column_letter
            sheet.column_dimensions[letter].number_format = number_formats[kind]
    for number, row in enumerate(rows or [], start=2):
        for index, column in enumerate(import_type.columns, start=1):
            # Control characters cannot be stored in XLSX cells.
            text = ILLEGAL_CHARACTERS_RE.sub("", row.get(column.name, ""))
            kind = cell_kind(column.parse)
            cell = sheet.cell(row=number, column=index, value=_typed(kind, text))
            if kind is not None and not isinstance(cell.value, str):
                cell.number_format = number_formats[kind]
    help_sheet = workbook.create_sheet(_("help")[:31])
    help_sheet.append(
        [
            _("column"),
            _("label"),
            _("required"),
            _("description"),
            _("allowed codes"),
            _("example"),
        ]
    )
    for column in import_type.columns:
        help_sheet.append(
            [
                column.name,
                column_label(column),
                _("yes") if column.required else _("no"),
                str(column.help),
                allowed_codes(column, limit=10_000),
                column.example,
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _typed(kind: str | None, text: str) -> Any:
    """A cell's value: a date or a number where the column holds one and the text reads
    as one (else the text, which the import then reports as it would from a file)."""
    try:
        if kind == "date":
            return datetime.date.fromisoformat(text)
        if kind == "integer":
            return int(text)
        if kind == "decimal":
            return Decimal(text)
    except (ValueError, ArithmeticError):
        pass
    return text or None


def describe(import_type: ImportType) -> str:
    """A Markdown table of the type's columns in the active language (for
    `thb import --describe` and docs)."""
    lines = [
        f"### `{import_type.name}` — {import_type.label}",
        "",
        str(import_type.description),
        "",
        _("Roles: %(roles)s.") % {"roles": ", ".join(import_type.roles)}
        + (
            " " + _("Key (external id): %(column)s.") % {"column": f"`{import_type.key_column}`"}
            if import_type.key_column
            else ""
        ),
        "",
        "| "
        + " | ".join(
            [
                _("column"),
                _("label"),
                _("required"),
                _("description"),
                _("allowed codes"),
                _("example"),
            ]
        )
        + " |",
        "|---|---|---|---|---|---|",
    ]
    for column in import_type.columns:
        codes = ", ".join(column.codes()) if column.codes is not None else ""
        if len(codes) > 300:
            codes = codes[:297] + "…"
        cells = [
            f"`{column.name}`",
            column_label(column) if column.label else "",
            _("yes") if column.required else _("no"),
            str(column.help),
            codes,
            column.example,
        ]
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    return "\n".join(lines) + "\n"
