"""The report as an XLSX workbook (openpyxl): a contents sheet (title, edition, the
tables with links, the legend of the flags) and one sheet per table, named by the
table's id. Numbers are stored as numbers with a number format; a hidden cell is
stored as its flag's sign ("<3", "c"). In the internal edition each value column
has a hidden column beside the table with the figure ids, so that every value can be
traced to the catalogue."""

from __future__ import annotations

import io
import re

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from thb.core import formats
from thb.reports.document import Document, Table
from thb.reports.formats.tabular import (
    edition_label,
    generated_on,
    has_hidden,
    legend,
    stored_value,
)

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_NAME_LENGTH = 31  # Excel's limit
HEADER_ROW = 3  # title in row 1, a blank row, the header, then the rows
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F3F5F8")
INTEGER = formats.XLSX_INTEGER
DECIMAL = formats.XLSX_AMOUNT


def sheet_names(tables: list[Table], reserved: set[str]) -> dict[str, str]:
    """{table id: sheet name}: the id cut to Excel's 31 characters, without the
    characters Excel forbids, unique (case-insensitively) in the workbook."""
    taken = {name.lower() for name in reserved}
    names = {}
    for table in tables:
        base = re.sub(r"[\[\]:*?/\\']", "_", table.id)[:SHEET_NAME_LENGTH] or "table"
        name, number = base, 1
        while name.lower() in taken:
            number += 1
            suffix = f"~{number}"
            name = base[: SHEET_NAME_LENGTH - len(suffix)] + suffix
        taken.add(name.lower())
        names[table.id] = name
    return names


def _table_sheet(sheet: Worksheet, document: Document, table: Table, number: str) -> None:
    internal = document.edition == "internal"
    sheet["A1"] = f"{_('Table %(number)s') % {'number': number}} {table.title}"
    sheet["A1"].font = Font(bold=True, size=12)
    width = len(table.columns)
    for column, title in enumerate(["", *table.columns], start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=title or None)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, horizontal="left" if column == 1 else "right")
    ids_from = width + 3  # a blank column between the values and the figure ids
    if internal:
        for offset, title in enumerate(table.columns):
            cell = sheet.cell(
                row=HEADER_ROW, column=ids_from + offset, value=f"{_('figure id')}: {title}"
            )
            cell.font = BOLD
    for index, row in enumerate(table.rows, start=HEADER_ROW + 1):
        label = sheet.cell(row=index, column=1, value=row.label)
        label.alignment = Alignment(wrap_text=True)
        if row.total:
            label.font = BOLD
        for offset, table_cell in enumerate(row.cells):
            value = stored_value(table_cell, document.threshold)
            cell = sheet.cell(row=index, column=2 + offset, value=value)
            if isinstance(value, str):
                cell.alignment = Alignment(horizontal="right")
            elif isinstance(value, float) and not value.is_integer():
                cell.number_format = DECIMAL
            elif value is not None:
                cell.number_format = INTEGER
            if row.total:
                cell.font = BOLD
            if table_cell.note and value is not None:
                # The value rests on an aggregate return: say on what basis.
                cell.comment = Comment(table_cell.note, "THB")
            if internal and table_cell.figure:
                sheet.cell(row=index, column=ids_from + offset, value=table_cell.figure)
    last = HEADER_ROW + len(table.rows)
    notes = list(table.notes)
    if has_hidden(table):
        notes += [f"{sign}: {meaning}" for sign, meaning in legend(document)]
    for offset, note in enumerate(notes, start=2):
        sheet.cell(row=last + offset, column=1, value=note)
    sheet.column_dimensions["A"].width = 48
    for column in range(2, width + 2):
        sheet.column_dimensions[get_column_letter(column)].width = 14
    if internal:
        first, end = get_column_letter(ids_from), get_column_letter(ids_from + width - 1)
        sheet.column_dimensions.group(first, end, hidden=True, outline_level=1)
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=2)


def _cover(
    sheet: Worksheet, document: Document, numbered: list[tuple[str, Table]], names: dict[str, str]
) -> None:
    sheet["A1"] = document.title
    sheet["A1"].font = Font(bold=True, size=14)
    facts = [
        (_("Year"), document.year),
        (_("Issuer"), document.issuer),
        (_("Edition"), edition_label(document)),
        (_("Generated"), generated_on(document)),
    ]
    for row, (name, value) in enumerate(facts, start=3):
        sheet.cell(row=row, column=1, value=name).font = BOLD
        sheet.cell(row=row, column=2, value=value)
    row = len(facts) + 4
    sheet.cell(row=row, column=1, value=_("Tables")).font = Font(bold=True, size=12)
    for number, table in numbered:
        row += 1
        sheet.cell(row=row, column=1, value=_("Table %(number)s") % {"number": number})
        link = sheet.cell(row=row, column=2, value=table.title)
        link.hyperlink = f"#'{names[table.id]}'!A1"
        link.font = Font(color="0B4F8A", underline="single")
        sheet.cell(row=row, column=3, value=names[table.id])
    row += 2
    sheet.cell(row=row, column=1, value=_("Symbols in the tables")).font = Font(bold=True, size=12)
    for sign, meaning in legend(document):
        row += 1
        sheet.cell(row=row, column=1, value=sign).alignment = Alignment(horizontal="right")
        sheet.cell(row=row, column=2, value=meaning)
    if document.edition == "internal":
        row += 2
        sheet.cell(
            row=row,
            column=1,
            value=_(
                "Each table sheet has hidden columns beside the values with the figure ids "
                "of the catalogue."
            ),
        )
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 80
    sheet.column_dimensions["C"].width = 32


def render_xlsx(document: Document) -> bytes:
    with translation.override(document.language):
        workbook = Workbook()
        cover = workbook.active
        assert cover is not None
        cover.title = _("Contents")[:SHEET_NAME_LENGTH]
        numbered = [
            (f"{chapter.number}.{index}", table)
            for chapter in document.chapters
            for index, table in enumerate(chapter.tables, start=1)
        ]
        names = sheet_names([table for _number, table in numbered], {cover.title})
        _cover(cover, document, numbered, names)
        for number, table in numbered:
            _table_sheet(workbook.create_sheet(names[table.id]), document, table, number)
        workbook.properties.title = f"{document.title} {document.year}"
        workbook.properties.creator = "THB"
        workbook.properties.language = document.language
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
