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
    assert list(table.rows) == [(2, ["A-1", "24"])]


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
    assert next(iter(table.rows))[1][1] == "=not a formula"


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


# Workbooks written as XML, to control formulas, saved values and declared dimensions.

_PACKAGE = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}


def _text(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def raw_xlsx(rows: str, dimension: str = "A1:B2") -> bytes:
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in {**_PACKAGE, "xl/worksheets/sheet1.xml": sheet}.items():
            archive.writestr(name, content)
    return out.getvalue()


HEADER_ROW = f'<row r="1">{_text("A1", "external_id")}{_text("B1", "age_at_identification")}</row>'


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        ('<c r="B2"><f>20-20</f><v>0</v></c>', "0"),  # a saved 0 is a value, not a blank
        ('<c r="B2" t="str"><f>""</f><v></v></c>', ""),  # a saved empty string is empty
        ('<c r="B2" t="str"><f>"2"&amp;"4"</f><v>24</v></c>', "24"),
        ('<c r="B2" t="b"><f>TRUE()</f><v>1</v></c>', "true"),
        ('<c r="B2"><f t="shared" si="0"/><v>7</v></c>', "7"),
    ],
)
def test_formulas_are_read_as_their_saved_values(cell: str, text: str) -> None:
    data = raw_xlsx(HEADER_ROW + f'<row r="2">{_text("A2", "A-1")}{cell}</row>')
    rows = list(read_table("cases.xlsx", data).rows)
    assert rows == [(2, ["A-1", text] if text else ["A-1"])]


@pytest.mark.parametrize(
    "cell",
    [
        '<c r="B2"><f>20+4</f></c>',
        '<c r="B2"><f>20+4</f><v/></c>',
        '<c r="B2"><f>A1</f><v></v></c>',
    ],
)
def test_a_formula_without_a_saved_value_is_refused_naming_the_cell(cell: str) -> None:
    data = raw_xlsx(HEADER_ROW + f'<row r="2">{_text("A2", "A-1")}{cell}</row>')
    with translation.override("en"), pytest.raises(FileFormatError) as exc:
        read_table("cases.xlsx", data)
    assert exc.value.line == 2
    assert "cell B2" in str(exc.value)


def test_an_error_value_is_refused_naming_the_cell() -> None:
    data = raw_xlsx(HEADER_ROW + '<row r="2"><c r="B2" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>')
    with translation.override("en"), pytest.raises(FileFormatError, match=r"B2.*#DIV/0!"):
        read_table("cases.xlsx", data)


def test_dates_typed_as_dates_and_shared_strings_are_read() -> None:
    import datetime

    data = _workbook(
        [["external_id", "intake_date", "age"], ["Ā-1", datetime.date(2020, 3, 15), 24]]
    )
    table = read_table("cases.xlsx", data)
    assert table.header == ["external_id", "intake_date", "age"]
    assert list(table.rows) == [(2, ["Ā-1", "2020-03-15", "24"])]


def test_a_value_far_right_is_refused_naming_the_cell() -> None:
    data = raw_xlsx(HEADER_ROW + f'<row r="2">{_text("A2", "A-1")}{_text("XFD2", "x")}</row>')
    with translation.override("en"), pytest.raises(FileFormatError, match="XFD2"):
        read_table("cases.xlsx", data)


def test_empty_cells_far_right_and_far_down_take_nothing() -> None:
    rows = (
        HEADER_ROW
        + f'<row r="2">{_text("A2", "A-1")}<c r="B2"><v>24</v></c><c r="XFD2" s="1"/></row>'
        + '<row r="1048576"><c r="XFD1048576" s="1"/></row>'
    )
    table = read_table("cases.xlsx", raw_xlsx(rows, dimension="A1:XFD1048576"))
    assert list(table.rows) == [(2, ["A-1", "24"])]
    assert len(table.rows) == 1


_MEASURE = """
import os, resource, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thb.settings")
import django
django.setup()
from thb.interop.tables import FileFormatError, read_table
data = open(sys.argv[1], "rb").read()
started = time.monotonic()
try:
    table = read_table("bomb.xlsx", data)
    outcome = "rows=%d:%s" % (len(table.rows), [cells for _line, cells in table.rows][:2])
except FileFormatError as exc:
    outcome = "refused: %s" % exc
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(outcome)
print("peak_mb=%.0f seconds=%.1f" % (peak_mb, time.monotonic() - started))
"""


def test_a_declared_dimension_bomb_is_read_in_bounded_memory(tmp_path) -> None:
    """The issue's file: 1.6 KB whose sheet declares A1:XFD20000. Read in a fresh process
    whose peak memory (ru_maxrss) must stay under 300 MB: a functional bound."""
    import subprocess
    import sys

    rows = HEADER_ROW + "".join(
        f'<row r="{n}">{_text(f"A{n}", f"A-{n}")}<c r="B{n}"><v>{20 + n}</v></c></row>'
        for n in range(2, 22)
    )
    data = raw_xlsx(rows, dimension="A1:XFD20000")
    assert len(data) < 3000
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(data)
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    outcome, measured = done.stdout.strip().splitlines()[-2:]
    assert outcome == "rows=20:[['A-2', '22'], ['A-3', '23']]"
    peak_mb = float(measured.split()[0].split("=")[1])
    assert peak_mb < 300, measured


@pytest.mark.parametrize(
    "cell",
    [
        '<c r="B2" t="s"><v>99</v></c>',  # a shared string that is not there
        '<c r="B2"><v>not a number</v></c>',
        '<c r="B2" s="0"><v>1e400</v></c>',
        '<c r="2B"><v>1</v></c>',
    ],
)
def test_a_damaged_sheet_is_refused_as_unreadable(cell: str) -> None:
    data = raw_xlsx(HEADER_ROW + f'<row r="2">{_text("A2", "A-1")}{cell}</row>')
    with pytest.raises(FileFormatError):
        read_table("cases.xlsx", data)


def test_a_part_larger_than_its_limit_unpacked_is_refused_before_reading(monkeypatch) -> None:
    """Shared strings are held in memory: their unpacked size is bounded (the zip's
    declared size, which Python's zipfile enforces while reading)."""
    from thb.interop import tables

    monkeypatch.setattr(tables, "MAX_SHARED_TEXT_BYTES", 4000)
    relations = _PACKAGE["xl/_rels/workbook.xml.rels"].replace(
        "</Relationships>",
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    shared = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<si><t>{'x' * 6000}</t></si></sst>"
    )
    source = zipfile.ZipFile(io.BytesIO(raw_xlsx(HEADER_ROW)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            if item.filename != "xl/_rels/workbook.xml.rels":
                archive.writestr(item, source.read(item.filename))
        archive.writestr("xl/_rels/workbook.xml.rels", relations)
        archive.writestr("xl/sharedStrings.xml", shared)
    with translation.override("en"), pytest.raises(FileFormatError, match="sharedStrings"):
        read_table("cases.xlsx", out.getvalue())
