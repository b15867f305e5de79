"""XLSX formula cells: read as the value the spreadsheet saved with them; a formula
without a saved value (a file written by a program that does not compute formulas) is
refused naming its row and column, never read as blank."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

import openpyxl
import pytest
from django.utils import translation

from thb.accounts.models import Institution, Role, User
from thb.interop.importer import import_file
from thb.interop.registry import get_import_type
from thb.interop.tables import FileFormatError, read_table
from thb.victims.models import Case


def _workbook(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _with_cached_values(data: bytes, value: str) -> bytes:
    """The file as a spreadsheet program saves it: each formula with its result."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                content = re.sub(rb"<v\s*/>", f"<v>{value}</v>".encode(), content)
            target.writestr(item, content)
    return out.getvalue()


def test_a_formula_without_a_saved_value_is_refused_by_row_and_column() -> None:
    data = _workbook([["external_id", "age_at_identification"], ["A-1", "=20+4"]])
    with translation.override("en"), pytest.raises(FileFormatError) as exc:
        read_table("cases.xlsx", data)
    assert exc.value.line == 2
    assert "Row 2, column B" in str(exc.value)
    assert "formula" in str(exc.value)


def test_a_formula_is_read_as_its_saved_value() -> None:
    data = _with_cached_values(
        _workbook([["external_id", "age_at_identification"], ["A-1", "=20+4"]]), "24"
    )
    table = read_table("cases.xlsx", data)
    assert table.rows == [(2, ["A-1", "24"])]


def test_text_starting_with_an_equals_sign_is_text() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["external_id", "screening_notes"])
    sheet.append(["A-1", "x"])
    sheet["B2"].value = "=not a formula"
    sheet["B2"].data_type = "s"
    out = io.BytesIO()
    book.save(out)
    table = read_table("cases.xlsx", out.getvalue())
    assert table.rows[0][1][1] == "=not a formula"


@pytest.mark.django_db
def test_the_import_reports_the_formula_and_saves_nothing(
    make_user: Callable[..., User], provider: Institution
) -> None:
    caseworker = make_user("importer", Role.CASEWORKER, provider)
    data = _workbook(
        [
            ["external_id", "intake_date", "referral_channel", "age_at_identification"],
            ["A-1", "2020-03-15", "self", "=SUM(20,4)"],
        ]
    )
    with translation.override("en"):
        result = import_file(
            actor=caseworker,
            import_type=get_import_type("victim_cases"),
            file_name="cases.xlsx",
            data=data,
        )
    assert not result.ok
    assert "Row 2, column D" in str(result.errors[0])
    assert not Case.objects.exists()
