"""Reading an uploaded CSV or XLSX file into a header and rows of text, each with the
line (CSV) or row number (XLSX) the user sees in their editor, so that errors point
at it. Lines whose first cell starts with '#' are comments (the templates' help).

Files come as clerks save them:
- CSV in UTF-8 (with or without BOM), UTF-16 ("Unicode text", tab-separated) or the
  country's legacy code page (the profile's `interop.file_encodings`, e.g. Windows-1257
  for Excel's "CSV" on Latvian Windows), chosen by charset-normalizer where the file is
  not valid UTF-8; the separator (`,` `;` or tab) is detected from the header line.
- XLSX is read as a stream of the first sheet's XML: only cells that hold data take
  memory (a declared dimension such as `A1:XFD20000` is ignored), a formula is read
  as the value the spreadsheet saved with it, and the rows are read again from the
  file on each pass instead of being held in memory, so that memory does not grow
  with the number of rows.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import functools
import io
import math
import pyexpat
import re
import zipfile
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any, Literal
from xml.etree.ElementTree import Element, iterparse

from django.utils.translation import gettext as _

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
MAX_COLUMNS = 500
"""Columns that may hold data (XLSX and CSV); a value further right is refused."""
# C0 control characters other than tab, line feed and carriage return: no form can enter
# them, PostgreSQL refuses NUL in text, and they would be invisible in an error message.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_SHEET_XML_BYTES = 500 * 1024 * 1024
"""Unpacked size of an XLSX sheet (it is streamed, so this bounds time, not memory)."""
MAX_SHARED_TEXT_BYTES = 100 * 1024 * 1024
"""Unpacked size of an XLSX's shared strings (held in memory, compactly) and styles."""
EXCEL_MAX_ROW = 1_048_576

Line = tuple[int, list[str]]


class FileFormatError(ValueError):
    """The file cannot be read as a table; the message says why (and where)."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.line = line


class Rows:
    """The data rows (line number, cells) of a table, read again from the file on each
    iteration, so that a large file is never held in memory as Python objects. Its
    length is counted when the table is read (the first pass)."""

    def __init__(
        self,
        lines: Callable[[], Iterator[Line]] | None = None,
        header_line: int = 0,
        count: int = 0,
    ) -> None:
        self._lines = lines
        self._header_line = header_line
        self._count = count

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Line]:
        if self._lines is None:
            return
        for number, cells in self._lines():
            if number > self._header_line and not _skipped(cells):
                yield number, cells

    def __repr__(self) -> str:
        return f"<Rows: {self._count} after line {self._header_line}>"


@dataclass
class Table:
    header: list[str]
    """The header's cells as written (stripped; trailing empty cells dropped)."""
    header_line: int
    rows: Rows = field(default_factory=Rows)


def file_kind(file_name: str, data: bytes) -> str:
    name = file_name.lower()
    if name.endswith(".xlsx"):
        return "xlsx"
    if name.endswith(".csv") or name.endswith(".txt"):
        return "csv"
    return "xlsx" if data[:2] == b"PK" else "csv"


def _skipped(cells: list[str]) -> bool:
    """An empty line, or a comment (first cell starting with '#')."""
    return not any(c.strip() for c in cells) or cells[0].lstrip().startswith("#")


def read_table(file_name: str, data: bytes) -> Table:
    """Check the whole file (encoding, structure, formulas, limits) and count its rows;
    the rows themselves are read again when iterated (Table.rows)."""
    if len(data) > MAX_FILE_BYTES:
        raise FileFormatError(
            _("The file is larger than %(mb)d MB.") % {"mb": MAX_FILE_BYTES // (1024 * 1024)}
        )
    if not data.strip():
        raise FileFormatError(_("The file is empty."))
    source: _Csv | _Xlsx = _Xlsx(data) if file_kind(file_name, data) == "xlsx" else _Csv(data)
    header: list[str] | None = None
    header_line = 0
    count = 0
    for number, cells in source.lines():
        if _skipped(cells):
            continue
        if len(cells) > MAX_COLUMNS and any(c.strip() for c in cells[MAX_COLUMNS:]):
            raise FileFormatError(
                _("Line %(line)d has values in more than %(max)d columns.")
                % {"line": number, "max": MAX_COLUMNS},
                number,
            )
        if header is None:
            header = [CONTROL_CHARACTERS.sub("\ufffd", c).strip() for c in cells]
            while header and header[-1] == "":
                header.pop()
            header_line = number
            continue
        count += 1
        if count > MAX_ROWS:
            raise FileFormatError(_("The file has more than %(max)d rows.") % {"max": MAX_ROWS})
    if header is None:
        raise FileFormatError(_("The file has no header line."))
    return Table(
        header=header, header_line=header_line, rows=Rows(source.lines, header_line, count)
    )


# CSV


def decode_text(data: bytes) -> str:
    """The file's text: UTF-8 (BOM or not) when it is valid UTF-8, UTF-16 when it has a
    UTF-16 byte order mark, otherwise the encoding charset-normalizer finds most likely
    among UTF-16 and the profile's `interop.file_encodings`."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(data, "utf-16")
    if data.startswith(codecs.BOM_UTF8):
        return _decode(data, "utf-8-sig")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error: UnicodeDecodeError | None = exc
    else:
        if "\x00" not in text:
            return text
        utf8_error = None  # NUL characters: UTF-16 without a byte order mark
    encoding = _detect(data)
    if encoding is not None:
        return _decode(data, encoding)
    line = data[: utf8_error.start].count(b"\n") + 1 if utf8_error else 1
    raise FileFormatError(
        _(
            "The text of the file cannot be read (line %(line)d): it is neither UTF-8 nor "
            "UTF-16 nor %(encodings)s. Save it as CSV UTF-8."
        )
        % {"line": line, "encodings": ", ".join(_legacy_encodings()) or "-"},
        line,
    )


def _legacy_encodings() -> list[str]:
    from thb.profiles import get_profile

    return list(get_profile().interop.file_encodings)


def _detect(data: bytes) -> str | None:
    from charset_normalizer import from_bytes
    from charset_normalizer.utils import iana_name

    preferred = ["utf_16_le", "utf_16_be", *(iana_name(e) for e in _legacy_encodings())]
    matches = [m for m in from_bytes(data, cp_isolation=preferred) if m.encoding in preferred]
    if not matches:
        return None
    # Equally likely candidates (short files) go to the profile's order.
    best = min(
        matches,
        key=lambda m: (round(m.chaos, 3), -round(m.coherence, 3), preferred.index(m.encoding)),
    )
    return str(best.encoding)


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].decode(encoding, errors="replace").count("\n") + 1
        raise FileFormatError(
            _("The text of the file cannot be read as %(encoding)s (line %(line)d).")
            % {"encoding": encoding, "line": line},
            line,
        ) from None


def detect_delimiter(text: str) -> str:
    """`,` `;` or tab: the one found most often outside quotes on the header line
    (the first line that is neither empty nor a comment); `,` when there is none."""
    first = next(
        (ln for ln in _physical_lines(text) if ln.strip() and not ln.lstrip().startswith("#")), ""
    )
    counts = {",": 0, ";": 0, "\t": 0}
    quoted = False
    for char in first:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _physical_lines(text: str) -> Iterator[str]:
    """Lines with their endings, split at '\\n' only (a line may end in '\\r\\n'), so
    that the csv reader's line count is the editor's line number."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start : end + 1]
        start = end + 1


class _Csv:
    def __init__(self, data: bytes) -> None:
        text = decode_text(data)
        if "\n" not in text and "\r" in text:
            text = text.replace("\r", "\n")  # old Mac line endings
        self.text = text
        self.delimiter = detect_delimiter(text)

    def lines(self) -> Iterator[Line]:
        reader = csv.reader(_physical_lines(self.text), delimiter=self.delimiter)
        start = 1
        try:
            for cells in reader:
                yield start, cells
                start = reader.line_num + 1
        except csv.Error as exc:
            raise FileFormatError(
                _("Line %(line)d cannot be read: %(error)s") % {"line": start, "error": exc}, start
            ) from None


# XLSX

_CELL_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")
# Excel's built-in number formats that are dates or times (ECMA-376 18.8.30).
_BUILTIN_DATE_FORMATS = {*range(14, 23), 45, 46, 47}


def _iterparse(
    stream: IO[bytes], events: tuple[Literal["start", "end"], ...] = ("end",)
) -> Iterator[Any]:
    """The XML parts of a workbook, parsed as a stream. The standard library's parser is
    safe for untrusted parts here: expat >= 2.4.1 stops entity amplification ("billion
    laughs"), ElementTree resolves no external entity, and a part with a document type
    declaration (which no spreadsheet writes) is refused before parsing."""
    if pyexpat.version_info < (2, 4, 1):  # pragma: no cover - older systems
        raise FileFormatError(_("The file is not a readable XLSX workbook."))
    return iterparse(stream, events)  # noqa: S314 - see the docstring


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


@functools.lru_cache(maxsize=1024)
def _column_index(letters: str) -> int:
    index = 0
    for char in letters:
        index = index * 26 + (ord(char) - 64)
    return index


def _column_letters(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _SharedStrings:
    """The workbook's shared strings, kept as one UTF-8 buffer with offsets (a few
    bytes a string instead of a Python object each)."""

    def __init__(self) -> None:
        self._text = bytearray()
        self._ends = array("Q")

    def append(self, value: str) -> None:
        self._text += value.encode("utf-8")
        self._ends.append(len(self._text))

    def __getitem__(self, index: int) -> str:
        if not 0 <= index < len(self._ends):
            raise IndexError(index)
        start = self._ends[index - 1] if index else 0
        return self._text[start : self._ends[index]].decode("utf-8")


def _rich_text(element: Element) -> str:
    """Text of a shared or inline string: its <t>, or its runs' <t> (not phonetics)."""
    parts = []
    for child in element:
        name = _local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            parts.extend(t.text or "" for t in child if _local(t.tag) == "t")
    return "".join(parts)


class _Xlsx:
    """The first sheet of a workbook, streamed. Parts are located through the package
    relationships; the shared strings and styles are read once."""

    _tags: tuple[str, str, str] = ("c", "v", "f")
    """Whole tags of a cell, its value and its formula in the sheet's namespace."""
    _inline_tag = "is"

    def __init__(self, data: bytes) -> None:
        self.data = data
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                self._locate(archive)
                self.shared = self._read_shared(archive)
                self.date_styles = self._read_date_styles(archive)
        except FileFormatError:
            raise
        # A damaged or foreign file fails in many ways (zip, XML, missing parts, bad
        # numbers); to the user they all mean the same thing.
        except Exception:
            raise FileFormatError(_("The file is not a readable XLSX workbook.")) from None

    # Package structure.

    def _open(self, archive: zipfile.ZipFile, name: str, limit: int) -> IO[bytes]:
        info = archive.getinfo(name)
        if info.file_size > limit:
            raise FileFormatError(
                _("The workbook's part %(part)s is larger than %(mb)d MB unpacked.")
                % {"part": name, "mb": limit // (1024 * 1024)}
            )
        stream = archive.open(info)
        if b"<!DOCTYPE" in stream.peek(2048)[:2048]:  # type: ignore[attr-defined]
            raise FileFormatError(_("The file is not a readable XLSX workbook."))
        return stream

    def _relations(self, archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
        """{id: (type, target part)} of a part's relationships."""
        folder, _sep, name = part.rpartition("/")
        rels_name = f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"
        out = {}
        with self._open(archive, rels_name, MAX_SHARED_TEXT_BYTES) as stream:
            for _event, element in _iterparse(stream):
                if _local(element.tag) == "Relationship":
                    target = element.get("Target", "")
                    if target.startswith("/"):
                        target = target[1:]
                    elif folder:
                        target = f"{folder}/{target}"
                    out[element.get("Id", "")] = (element.get("Type", ""), _normpath(target))
        return out

    def _locate(self, archive: zipfile.ZipFile) -> None:
        workbook = next(
            t
            for kind, t in self._relations(archive, "").values()
            if kind.endswith("/officeDocument")
        )
        relations = self._relations(archive, workbook)
        first_sheet = None
        self.epoch = datetime.datetime(1899, 12, 30)
        with self._open(archive, workbook, MAX_SHARED_TEXT_BYTES) as stream:
            for _event, element in _iterparse(stream):
                name = _local(element.tag)
                if name == "workbookPr" and element.get("date1904") in ("1", "true"):
                    self.epoch = datetime.datetime(1904, 1, 1)
                elif name == "sheet" and first_sheet is None:
                    rel = next(v for k, v in element.attrib.items() if _local(k) == "id")
                    first_sheet = relations[rel][1]
        if first_sheet is None:
            raise FileFormatError(_("The workbook has no sheet."))
        self.sheet = first_sheet
        self.shared_part = next(
            (t for kind, t in relations.values() if kind.endswith("/sharedStrings")), None
        )
        self.styles_part = next(
            (t for kind, t in relations.values() if kind.endswith("/styles")), None
        )

    def _read_shared(self, archive: zipfile.ZipFile) -> _SharedStrings:
        shared = _SharedStrings()
        if self.shared_part is None:
            return shared
        with self._open(archive, self.shared_part, MAX_SHARED_TEXT_BYTES) as stream:
            root = None
            for event, element in _iterparse(stream, ("start", "end")):
                if event == "start":
                    root = element if root is None else root
                elif _local(element.tag) == "si":
                    shared.append(_rich_text(element))
                    if root is not None:
                        root.clear()
        return shared

    def _read_date_styles(self, archive: zipfile.ZipFile) -> set[int]:
        """Indices of the cell styles whose number format is a date or time."""
        from openpyxl.styles.numbers import is_date_format

        if self.styles_part is None:
            return set()
        formats: dict[int, str] = {}
        styles: list[int] = []
        in_cell_xfs = False
        with self._open(archive, self.styles_part, MAX_SHARED_TEXT_BYTES) as stream:
            for event, element in _iterparse(stream, ("start", "end")):
                name = _local(element.tag)
                if name == "cellXfs":
                    in_cell_xfs = event == "start"
                elif event == "end" and name == "numFmt":
                    formats[int(element.get("numFmtId", "0"))] = element.get("formatCode", "")
                elif event == "end" and name == "xf" and in_cell_xfs:
                    styles.append(int(element.get("numFmtId", "0")))
        return {
            index
            for index, number_format in enumerate(styles)
            if number_format in _BUILTIN_DATE_FORMATS
            or (number_format in formats and is_date_format(formats[number_format]))
        }

    # Cells.

    def lines(self) -> Iterator[Line]:
        with zipfile.ZipFile(io.BytesIO(self.data)) as archive:
            stream = self._open(archive, self.sheet, MAX_SHEET_XML_BYTES)
            try:
                yield from self._rows(stream)
            except FileFormatError:
                raise
            # A damaged sheet fails in many ways (XML, zip, a shared string that is not
            # there, a number out of range); to the user they all mean the same thing.
            except Exception:
                raise FileFormatError(_("The file is not a readable XLSX workbook.")) from None
            finally:
                stream.close()

    def _rows(self, stream: IO[bytes]) -> Iterator[Line]:
        parent: Element | None = None
        previous = 0
        row_tag = sheet_data_tag = ""
        for event, element in _iterparse(stream, ("start", "end")):
            if event == "start":
                if parent is None:
                    # Tags are compared whole (a row is "{namespace}row"): the namespace
                    # is the root's (transitional or strict OOXML).
                    namespace = element.tag[: element.tag.find("}") + 1]
                    row_tag, sheet_data_tag = namespace + "row", namespace + "sheetData"
                    self._tags = (namespace + "c", namespace + "v", namespace + "f")
                    self._inline_tag = namespace + "is"
                    parent = element
                elif element.tag == sheet_data_tag:
                    parent = element
                continue
            if element.tag != row_tag:
                continue
            number = int(element.get("r") or previous + 1)
            if number <= previous or number > EXCEL_MAX_ROW:
                raise FileFormatError(_("The sheet's row numbers are out of order."), number)
            previous = number
            cells = self._cells(element, number)
            element.clear()
            if parent is not None:
                parent.clear()  # rows already read are dropped from the tree
            if cells:
                width = max(cells)
                yield number, [cells.get(index, "") for index in range(1, width + 1)]

    def _cells(self, row: Element, number: int) -> dict[int, str]:
        """{column index: text} of the cells that hold a value."""
        out: dict[int, str] = {}
        column = 0
        cell_tag = self._tags[0]
        for cell in row:
            if cell.tag != cell_tag:
                continue
            reference = cell.get("r")
            match = _CELL_REF.match(reference) if reference else None
            if reference and (match is None or int(match.group(2)) != number):
                raise FileFormatError(
                    _("Row %(row)d has a cell with a wrong reference.") % {"row": number}, number
                )
            column = _column_index(match.group(1)) if match else column + 1
            text = self._value(cell, number, column)
            if text == "":
                continue
            if column > MAX_COLUMNS:
                raise FileFormatError(
                    _("Cell %(cell)s holds a value beyond column %(last)s (%(max)d columns).")
                    % {
                        "cell": f"{_column_letters(column)}{number}",
                        "last": _column_letters(MAX_COLUMNS),
                        "max": MAX_COLUMNS,
                    },
                    number,
                )
            out[column] = text
        return out

    def _value(self, cell: Element, number: int, column: int) -> str:
        kind = cell.get("t", "n")
        formula = False
        value: str | None = None
        inline = ""
        _cell, value_tag, formula_tag = self._tags
        for child in cell:
            if child.tag == value_tag:
                value = child.text or ""
            elif child.tag == formula_tag:
                formula = True
            elif child.tag == self._inline_tag:
                inline = _rich_text(child)
        if kind == "inlineStr":
            return inline
        if value is None or (value == "" and kind != "str"):
            # A formula saved without its result (a program that does not compute
            # formulas wrote the file): refused, never read as blank. A formula whose
            # result is the empty string is saved as t="str" with an empty value.
            if formula:
                raise FileFormatError(
                    _(
                        "Row %(row)d, column %(column)s (cell %(cell)s) holds a formula "
                        "without a computed value. Open the file in a spreadsheet and save "
                        "it again, or replace the formula with its value."
                    )
                    % {
                        "row": number,
                        "column": _column_letters(column),
                        "cell": f"{_column_letters(column)}{number}",
                    },
                    number,
                )
            return ""
        if kind == "s":
            return self.shared[int(value)]
        if kind in ("str", "d"):
            return value
        if kind == "b":
            return "true" if value.strip() in ("1", "true") else "false"
        if kind == "e":
            raise FileFormatError(
                _("Cell %(cell)s holds the error value %(value)s.")
                % {"cell": f"{_column_letters(column)}{number}", "value": value},
                number,
            )
        return self._number(value, cell.get("s"))

    def _number(self, value: str, style: str | None) -> str:
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(value)  # no spreadsheet saves one: a damaged file
        if style is not None and int(style) in self.date_styles:
            from openpyxl.utils.datetime import from_excel

            return _cell_text(from_excel(number, self.epoch))
        return _cell_text(number)


def _normpath(path: str) -> str:
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


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
