"""Downloadable import templates. The CSV template starts with '#' lines describing
every column and its allowed codes (the reader skips them); the XLSX template has the
header on its first sheet and the same help on a second sheet, plus a comment on each
header cell. Neither contains a data row: the example is in the help, so that a
filled-in template does not import the example by accident."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from thb.interop.registry import Column, ImportType

MAX_CODES_LISTED = 60


def column_help(column: Column) -> str:
    parts = [_("required") if column.required else _("optional"), column.help]
    if column.codes is not None:
        codes = column.codes()
        listed = ", ".join(codes[:MAX_CODES_LISTED])
        if len(codes) > MAX_CODES_LISTED:
            listed += ", …"
        parts.append(_("allowed codes: %(codes)s") % {"codes": listed})
    if column.example:
        parts.append(_("example: %(example)s") % {"example": column.example})
    return "; ".join(str(p) for p in parts)


def csv_template(import_type: ImportType) -> str:
    out = io.StringIO()
    out.write(f"# THB import: {import_type.name} ({import_type.label})\n")
    if import_type.description:
        out.write(f"# {import_type.description}\n")
    out.write("# " + _("Lines starting with # are ignored. UTF-8; separator , or ;.") + "\n")
    if import_type.key_column:
        out.write(
            "# "
            + _("Rows whose %(column)s is already imported are not created again.")
            % {"column": import_type.key_column}
            + "\n"
        )
    for column in import_type.columns:
        out.write(f"# {column.name}: {column_help(column)}\n".replace("\r", " "))
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.name for c in import_type.columns])
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
    sheet.append([c.name for c in import_type.columns])
    for index, column in enumerate(import_type.columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.comment = Comment(column_help(column)[:2000], "THB")
        # Text format keeps codes such as 0012 and dates as typed.
        sheet.column_dimensions[cell.column_letter].width = max(14, len(column.name) + 2)
    for row in rows or []:
        # Control characters cannot be stored in XLSX cells.
        sheet.append(
            [ILLEGAL_CHARACTERS_RE.sub("", row.get(c.name, "")) for c in import_type.columns]
        )
    help_sheet = workbook.create_sheet(_("help")[:31])
    help_sheet.append(
        [_("column"), _("required"), _("description"), _("allowed codes"), _("example")]
    )
    for column in import_type.columns:
        help_sheet.append(
            [
                column.name,
                _("yes") if column.required else _("no"),
                column.help,
                ", ".join(column.codes()) if column.codes is not None else "",
                column.example,
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def describe(import_type: ImportType) -> str:
    """A Markdown table of the type's columns (for `thb import --describe` and docs)."""
    lines = [
        f"### `{import_type.name}` — {import_type.label}",
        "",
        str(import_type.description),
        "",
        f"Roles: {', '.join(import_type.roles)}."
        + (f" Key (external id): `{import_type.key_column}`." if import_type.key_column else ""),
        "",
        "| column | required | description | allowed codes | example |",
        "|---|---|---|---|---|",
    ]
    for column in import_type.columns:
        codes = ", ".join(column.codes()) if column.codes is not None else ""
        if len(codes) > 300:
            codes = codes[:297] + "…"
        lines.append(
            f"| `{column.name}` | {'yes' if column.required else 'no'} | "
            f"{column.help.replace('|', '/')} | {codes} | {column.example} |"
        )
    return "\n".join(lines) + "\n"
