"""Reading an uploaded CSV or XLSX file into a header and rows of text, each with the
line (CSV) or row number (XLSX) the user sees in their editor, so that errors point
at it. Lines whose first cell starts with '#' are comments (the templates' help)."""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
MAX_CELL_CHARS = 10_000


class FileFormatError(ValueError):
    """The file cannot be read as a table; the message says why (and where)."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.line = line


@dataclass
class Table:
    header: list[str]
    header_line: int
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def file_kind(file_name: str, data: bytes) -> str:
    name = file_name.lower()
    if name.endswith(".xlsx"):
        return "xlsx"
    if name.endswith(".csv") or name.endswith(".txt"):
        return "csv"
    return "xlsx" if data[:2] == b"PK" else "csv"


def read_table(file_name: str, data: bytes) -> Table:
    if len(data) > MAX_FILE_BYTES:
        raise FileFormatError(
            _("The file is larger than %(mb)d MB.") % {"mb": MAX_FILE_BYTES // (1024 * 1024)}
        )
    if not data.strip():
        raise FileFormatError(_("The file is empty."))
    lines = _xlsx_lines(data) if file_kind(file_name, data) == "xlsx" else _csv_lines(data)
    header: list[str] | None = None
    table: Table | None = None
    for number, cells in lines:
        if not any(c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
            continue
        if header is None:
            header = [c.strip().lower() for c in cells]
            while header and header[-1] == "":
                header.pop()
            table = Table(header=header, header_line=number)
            continue
        assert table is not None
        if len(table.rows) >= MAX_ROWS:
            raise FileFormatError(_("The file has more than %(max)d rows.") % {"max": MAX_ROWS})
        table.rows.append((number, cells))
    if table is None:
        raise FileFormatError(_("The file has no header line."))
    return table


def _csv_lines(data: bytes) -> list[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileFormatError(
            _("The file is not UTF-8 text (line %(line)d, byte %(byte)d). Save it as CSV UTF-8.")
            % {"line": line, "byte": exc.start},
            line,
        ) from None
    first = next((ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")), "")
    # Spreadsheets set to Latvian write ';' as the separator.
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    out: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            out.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise FileFormatError(
            _("Line %(line)d cannot be read: %(error)s") % {"line": start, "error": exc}, start
        ) from None
    return out


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _is_formula(value: Any) -> bool:
    return (isinstance(value, str) and value.startswith("=")) or type(value).__name__ in {
        "ArrayFormula",
        "DataTableFormula",
    }


def _xlsx_lines(data: bytes) -> list[tuple[int, list[str]]]:
    """The first sheet's rows as text. A formula cell is read as the value the
    spreadsheet last computed and saved with it; a formula without a saved value (a
    file written by a program that does not compute formulas) is refused by row and
    column, never read as blank."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    try:
        values_book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formulas_book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        rows = zip(
            values_book.worksheets[0].iter_rows(values_only=True),
            formulas_book.worksheets[0].iter_rows(values_only=True),
            strict=False,
        )
        out = []
        missing: tuple[int, int] | None = None
        for number, (values, formulas) in enumerate(rows, start=1):
            for column, (value, formula) in enumerate(zip(values, formulas, strict=False), 1):
                if value is None and _is_formula(formula) and missing is None:
                    missing = (number, column)
            out.append((number, [_cell_text(v) for v in values]))
        values_book.close()
        formulas_book.close()
    # openpyxl raises many kinds of errors on a damaged or foreign file (zip, XML, key
    # errors); to the user they all mean the same thing.
    except Exception:
        raise FileFormatError(_("The file is not a readable XLSX workbook.")) from None
    if missing is not None:
        row, column = missing
        raise FileFormatError(
            _(
                "Row %(row)d, column %(column)s holds a formula without a computed value. "
                "Open the file in a spreadsheet and save it again, or replace the formula "
                "with its value."
            )
            % {"row": row, "column": get_column_letter(column)},
            row,
        )
    return out
