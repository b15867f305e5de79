"""The XLSX import template holds dates and numbers as such, with a number format in
the language of the download (a Latvian clerk's dates read "30.01.2021."), and its
date and number columns are formatted so that what a clerk types becomes a date or a
number cell; such cells import as the text would."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from thb.interop.parsers import cell_kind
from thb.interop.registry import registered
from thb.interop.tables import read_table
from thb.interop.templates_files import xlsx_template


@pytest.mark.parametrize(("language", "date_format"), [("lv", "d.mm.yyyy."), ("en", "dd/mm/yyyy")])
def test_dates_and_numbers_are_cells_with_the_languages_formats(language, date_format):
    import_type = registered()["detection_records"]
    kinds = {c.name: cell_kind(c.parse) for c in import_type.columns}
    assert kinds["date"] == "date" and kinds["count"] == "integer"
    row = {**import_type.example_row(), "date": "2020-03-05", "count": "12345"}
    with translation.override(language):
        data = xlsx_template(import_type, rows=[row])
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    letters = {
        c.name: sheet.cell(row=1, column=i).column_letter
        for i, c in enumerate(import_type.columns, 1)
    }
    date_cell, count_cell = sheet[f"{letters['date']}2"], sheet[f"{letters['count']}2"]
    assert date_cell.value == datetime.datetime(2020, 3, 5)  # a date, not text
    assert date_cell.number_format == date_format
    assert count_cell.value == 12345 and count_cell.number_format == "#,##0"
    # Whole columns carry the format for what a clerk types below.
    assert sheet.column_dimensions[letters["date"]].number_format == date_format
    assert sheet.column_dimensions[letters["count"]].number_format == "#,##0"
    # Read back, the cells are the text the import parses.
    table = read_table("t.xlsx", data)
    ((_number, cells),) = list(table.rows)
    values = dict(zip(table.header, cells, strict=False))
    assert values[sheet[f"{letters['date']}1"].value] == "2020-03-05"
    assert values[sheet[f"{letters['count']}1"].value] == "12345"
