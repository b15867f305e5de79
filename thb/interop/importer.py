"""The import engine: checks every row of a file against its import type outside any
transaction, then saves them all in one short transaction, or nothing; one audit event
per import. Used by `thb import` and the upload page. The contract with the types is
in thb/interop/registry.py."""

from __future__ import annotations

import datetime
import decimal
import gc
import hashlib
import logging
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from thb.accounts.models import User
from thb.audit.models import Action
from thb.audit.services import audit_record
from thb.core import validators
from thb.interop import parallel
from thb.interop.labels import code_for, resolve_header
from thb.interop.policy import can_import
from thb.interop.registry import Column, ImportRow, ImportType, Staged, WriteResult
from thb.interop.tables import CONTROL_CHARACTERS, FileFormatError, Table, read_table

logger = logging.getLogger(__name__)

MAX_ERRORS = 200  # enough to fix a file; more only hides the first ones

Progress = Callable[[int, int], None]


@dataclass
class RowError:
    line: int
    """Line (CSV) or row (XLSX) number in the file; 0 when about the file as a whole."""
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        where = _("line %(line)d") % {"line": self.line} if self.line else _("file")
        if self.column:
            where += ", " + _("column %(column)s") % {"column": self.column}
        if self.value:
            where += ", " + _("value “%(value)s”") % {"value": self.value}
        return f"{where}: {self.message}"


@dataclass
class ImportResult:
    import_type: str
    file_name: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    existing: int = 0
    errors: list[RowError] = field(default_factory=list)
    more_errors: bool = False
    skipped_columns: list[str] = field(default_factory=list)
    """Unknown columns of the file, skipped as the user confirmed (ignore_columns)."""

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def saved(self) -> bool:
        return self.ok and not self.dry_run

    @property
    def outcome(self) -> str:
        if self.errors:
            return "rejected"
        return "checked" if self.dry_run else "imported"


class _TooManyErrors(Exception):
    pass


def _shown(column: Column | None, value: str) -> str:
    if column is not None and column.sensitive:
        return "…" if value else ""
    value = CONTROL_CHARACTERS.sub("\ufffd", value)
    return value if len(value) <= 80 else value[:77] + "…"


def _add(result: ImportResult, error: RowError) -> None:
    if len(result.errors) >= MAX_ERRORS:
        result.more_errors = True
        raise _TooManyErrors
    result.errors.append(error)


def _check_header(
    import_type: ImportType, table: Table, result: ImportResult, ignore_columns: bool = False
) -> None:
    """Header errors are errors of the header's line. Columns are matched by name or
    label (thb/interop/labels.py); the header becomes the columns' names, '' for an
    unknown column the user confirmed to skip."""
    header = resolve_header(import_type, table.header, skip_unknown=ignore_columns)
    for problem in header.problems:
        _add(result, RowError(table.header_line, problem.column, "", problem.message))
    result.skipped_columns = header.skipped
    table.header = header.names


# A column's allowed codes, read once per import: (in the profile's order, as a set).
CodeCache = dict[str, tuple[list[str], frozenset[str]]]


def _allowed(column: Column, cache: CodeCache | None) -> tuple[list[str], frozenset[str]]:
    assert column.codes is not None
    if cache is None:
        codes = column.codes()
        return codes, frozenset(codes)
    if column.name not in cache:
        codes = column.codes()
        cache[column.name] = (codes, frozenset(codes))
    return cache[column.name]


CellReader = Callable[[str], tuple[Any, str | None]]

MEMO_CELLS = 4096
"""Distinct cells a column's reader remembers in one file. A register repeats most of
its values (codes, dates, countries, sectors): each distinct cell is read once; a
column of distinct values (ids, names) fills the memo and is then read cell by cell."""

# The values a reading may share between rows: immutable ones. A list (a ';'-separated
# column) is read again for every row, as its rows may be changed by whoever takes them.
_SHAREABLE = frozenset(
    {str, int, float, bool, type(None), datetime.date, datetime.datetime, decimal.Decimal}
)


def _cell_reader(column: Column, codes: CodeCache | None = None) -> CellReader:
    """The column's check and parse of one cell, resolved once per file: a function
    from the raw text to (value, None) or (None, the rule broken), remembering the
    readings of up to MEMO_CELLS distinct cells (a column's parser is a function of the
    cell's text alone). Messages are translated only for the cells that break a rule."""
    read_text = _text_reader(column, codes)
    memo: dict[str, tuple[Any, str | None]] = {}

    def read(raw: str) -> tuple[Any, str | None]:
        found = memo.get(raw)
        if found is not None:
            return found
        reading = read_text(raw)
        if type(reading[0]) in _SHAREABLE and len(memo) < MEMO_CELLS:
            memo[raw] = reading
        return reading

    return read


def _text_reader(column: Column, codes: CodeCache | None = None) -> CellReader:
    """The column's check and parse of one cell's text, as `_cell_reader` remembers it."""
    parse = column.parse
    required = column.required
    coded = column.codes is not None
    known: frozenset[str] | None = None
    allowed: list[str] = []
    longest = validators.text_limit("notes")

    def read(raw: str) -> tuple[Any, str | None]:
        nonlocal known, allowed
        text = raw.strip()
        if text == "":
            return None, (_("A value is required.") if required else None)
        if CONTROL_CHARACTERS.search(text):
            return None, _(
                "The value contains a control character (such as NUL) that no form can "
                "enter; the file is probably damaged or not a text file."
            )
        if len(text) > longest:
            # No cell is longer than the longest text the profile allows (its notes):
            # the same rule and message as a text column's own check.
            try:
                validators.text(text, kind="notes")
            except ValidationError as exc:
                return None, " ".join(exc.messages)
        if coded:
            if known is None:
                # The allowed codes are read at the first value that needs them.
                allowed, known = _allowed(column, codes)
            if text not in known:
                # A code in any case, or its label in any UI language (labels.py).
                code, rule = code_for(allowed, text)
                if code is None:
                    return None, rule
                text = code
        try:
            return parse(text), None
        except (ValueError, TypeError, ArithmeticError) as exc:
            return None, str(exc) or _("The value cannot be read.")
        except ValidationError as exc:
            return None, " ".join(exc.messages)
        except Exception:
            # A parser of another app failing in an unforeseen way must not break the
            # whole upload: the row is refused and the defect is logged for the developers.
            logger.exception("import column %s: parse failed", column.name)
            return None, _("The value cannot be read.")

    return read


def _parse_cell(column: Column, raw: str, codes: CodeCache | None = None) -> tuple[Any, str | None]:
    """(value, None) or (None, the rule broken)."""
    return _cell_reader(column, codes)(raw)


@dataclass
class _RowReader:
    """Each column's reader and its position in the file's header, resolved once."""

    columns: list[tuple[Column, int | None, CellReader]]
    width: int
    absent: dict[str, None] = field(default_factory=dict)
    """The optional columns the file does not have: None in every row, nothing to read
    (a missing required column is read, and refused, as an empty cell)."""

    @classmethod
    def build(cls, import_type: ImportType, table: Table, codes: CodeCache) -> _RowReader:
        # The last position of a name, as dict(zip(header, cells)) would take it.
        positions = {name: index for index, name in enumerate(table.header) if name}
        return cls(
            [
                (column, positions.get(column.name), _cell_reader(column, codes))
                for column in import_type.columns
                if column.name in positions or column.required
            ],
            len(table.header),
            {
                column.name: None
                for column in import_type.columns
                if column.name not in positions and not column.required
            },
        )


def _parse_row(
    import_type: ImportType,
    table: Table,
    line: int,
    cells: list[str],
    result: ImportResult,
    codes: CodeCache | None = None,
    reader: _RowReader | None = None,
) -> dict[str, Any] | None:
    if reader is None:
        reader = _RowReader.build(import_type, table, codes if codes is not None else {})
    width = reader.width
    if len(cells) > width and any(c.strip() for c in cells[width:]):
        _add(
            result,
            RowError(
                line,
                "",
                "",
                _("The line has %(n)d values; the header has %(h)d.")
                % {"n": len(cells), "h": width},
            ),
        )
        return None
    count = len(cells)
    values: dict[str, Any] = dict(reader.absent)
    ok = True
    for column, position, read in reader.columns:
        text = cells[position] if position is not None and position < count else ""
        value, rule = read(text)
        if rule is not None:
            _add(result, RowError(line, column.name, _shown(column, text.strip()), rule))
            ok = False
        values[column.name] = value
    return values if ok else None


def _error_from_validation(
    import_type: ImportType, line: int, raw: dict[str, str], exc: ValidationError
) -> list[RowError]:
    if not hasattr(exc, "error_dict"):
        return [RowError(line, "", "", " ".join(exc.messages))]
    errors = []
    for name, messages in exc.message_dict.items():
        column = next((c for c in import_type.columns if c.name == name), None)
        value = raw.get(name, "").strip()
        errors.append(
            RowError(
                line, name if name != "__all__" else "", _shown(column, value), " ".join(messages)
            )
        )
    return errors


def _save_row(
    actor: User,
    import_type: ImportType,
    row: ImportRow,
    raw: dict[str, str],
    result: ImportResult,
    created: dict[str, list[int]],
) -> None:
    assert import_type.save_row is not None
    try:
        # A savepoint per row: a failed row is undone and the next rows are still checked,
        # so that one run lists every problem of the file.
        with transaction.atomic():
            record, is_new = import_type.save_row(actor, row.values)
    except ValidationError as exc:
        for error in _error_from_validation(import_type, row.line, raw, exc):
            _add(result, error)
        return
    except PermissionDenied as exc:
        _add(result, RowError(row.line, "", "", str(exc) or _("Not permitted.")))
        return
    except _TooManyErrors:
        raise
    except DatabaseError as exc:
        _add(
            result,
            RowError(
                row.line, "", "", _("The record cannot be stored: %(error)s") % {"error": exc}
            ),
        )
        return
    except Exception:
        # A defect in a type's save_row: refuse the row (the file rolls back) and log it.
        logger.exception("import type %s: save_row failed", import_type.name)
        _add(result, RowError(row.line, "", "", _("Unexpected error while saving this row.")))
        return
    if is_new:
        result.created += 1
        if isinstance(record.pk, int):
            created.setdefault(record._meta.label_lower, []).append(record.pk)
    else:
        result.existing += 1


# Progress is reported every this many rows (a page or a terminal needs no more).
PROGRESS_EVERY = 500


@contextmanager
def _gc_paused() -> Iterator[None]:
    """The cyclic garbage collector paused for a stretch of row work. Checking and
    staging rows allocates hundreds of thousands of small objects that live until the
    write (none of them garbage), and each allocation burst made the collector scan
    them all again; reference counting still frees everything else meanwhile. The
    pause lasts one stretch (up to a progress step, or the staging, or the write) and
    the collector's previous state is restored after it, on error too."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _parse_rows(
    import_type: ImportType, table: Table, result: ImportResult, rows: list[ImportRow]
) -> Iterator[int]:
    """Check and parse every row into `rows` (no database access), yielding how many
    are done now and then. Repeated keys are errors here."""
    keys: dict[str, int] = {}
    codes: CodeCache = {}
    reader = _RowReader.build(import_type, table, codes)
    numbered = enumerate(table.rows, start=1)
    while True:
        with _gc_paused():
            batch = _parse_batch(import_type, table, result, rows, keys, reader, numbered)
        if batch is None:
            break
        yield batch
    yield len(table.rows)


def _parse_batch(
    import_type: ImportType,
    table: Table,
    result: ImportResult,
    rows: list[ImportRow],
    keys: dict[str, int],
    reader: _RowReader,
    numbered: Iterator[tuple[int, tuple[int, list[str]]]],
) -> int | None:
    """Parse rows until the next progress step: how many rows are done then, or None
    at the end of the file."""
    key = import_type.key_column
    for done, (line, cells) in numbered:
        values = _parse_row(import_type, table, line, cells, result, None, reader)
        if values is not None and key is not None and values.get(key) is not None:
            key_text = str(values[key])
            if key_text in keys:
                _add(
                    result,
                    RowError(
                        line,
                        key,
                        key_text,
                        _("The same id is on line %(line)d.") % {"line": keys[key_text]},
                    ),
                )
                values = None
            else:
                keys[key_text] = line
        if values is not None:
            rows.append(ImportRow(line, values))
        if done % PROGRESS_EVERY == 0:
            return done
    return None


def _staged_errors(
    import_type: ImportType, table: Table, staged: Staged, result: ImportResult
) -> None:
    lines = {issue.line for issue in staged.errors[: MAX_ERRORS + 1]}
    raws = {
        number: dict(zip(table.header, cells, strict=False))
        for number, cells in table.rows
        if number in lines
    }
    for issue in staged.errors:
        column = next((c for c in import_type.columns if c.name == issue.column), None)
        value = raws.get(issue.line, {}).get(issue.column, "").strip()
        _add(result, RowError(issue.line, issue.column, _shown(column, value), issue.message))


def _id_ranges(ids: list[int]) -> list[list[int]]:
    """[1, 2, 3, 7, 8] -> [[1, 3], [7, 8]]: the created ids, exactly and compactly."""
    ranges: list[list[int]] = []
    for pk in sorted(ids):
        if ranges and pk == ranges[-1][1] + 1:
            ranges[-1][1] = pk
        else:
            ranges.append([pk, pk])
    return ranges


def _audit(
    actor: User,
    import_type: ImportType,
    result: ImportResult,
    data: bytes,
    written: WriteResult | None = None,
) -> None:
    """The import's one audit event: the file (name and SHA-256), the type, the counts,
    the outcome and, when saved, the ids of the records created."""
    details: dict[str, Any] = {
        "type": import_type.name,
        "file_name": result.file_name[:200],
        "sha256": hashlib.sha256(data).hexdigest(),
        "rows": result.rows,
        "created": result.created,
        "existing": result.existing,
        "errors": len(result.errors),
        "outcome": result.outcome,
    }
    if result.skipped_columns:
        details["skipped_columns"] = result.skipped_columns[:50]
    if written is not None:
        details["records"] = written.model
        details["created_ids"] = _id_ranges(written.created_ids)
        if written.updated:
            details["updated"] = written.updated
        details.update(written.details)
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="interop.import",
        object_id=import_type.name,
        details=details,
    )


def iter_import(
    *,
    actor: User,
    import_type: ImportType,
    file_name: str,
    data: bytes,
    dry_run: bool = False,
    ignore_columns: bool = False,
) -> Generator[tuple[int, int], None, ImportResult]:
    """The import as a generator of progress (rows done, rows in total) that returns the
    ImportResult, so that a page can show progress while it runs. Rows are checked
    outside any transaction; the write is one short transaction at the end. Consume it
    to the end in one thread; closing it early saves nothing."""
    if not can_import(actor, import_type):
        raise PermissionDenied(_("Your role may not import this type of record."))
    return _run(actor, import_type, file_name, data, dry_run, ignore_columns)


def _write_bulk(
    actor: User,
    import_type: ImportType,
    table: Table,
    rows: list[ImportRow],
    data: bytes,
    result: ImportResult,
) -> None:
    assert import_type.bulk is not None
    try:
        with _gc_paused():
            staged = import_type.bulk.prepare(actor, rows)
    except PermissionDenied as exc:
        result.errors.append(RowError(0, "", "", str(exc) or _("Not permitted.")))
        return
    if staged.errors:
        _staged_errors(import_type, table, staged, result)
    if result.errors:
        return
    _write_staged(actor, import_type, staged, data, result)


def _write_staged(
    actor: User, import_type: ImportType, staged: Staged, data: bytes, result: ImportResult
) -> None:
    """Count what was staged without error and, unless a dry run, write it in one short
    transaction with the import's audit event."""
    assert import_type.bulk is not None
    result.existing = staged.existing
    result.created = staged.to_write
    if result.dry_run:
        return
    try:
        with _gc_paused(), transaction.atomic():
            written = import_type.bulk.write(actor, staged)
            result.created = len(written.created_ids)
            _audit(actor, import_type, result, data, written)
    except (ValidationError, PermissionDenied, DatabaseError) as exc:
        # Something changed between the check and the write (another import of the same
        # ids, a submission accepted meanwhile): nothing was saved; say so.
        logger.warning("import type %s: write refused: %s", import_type.name, exc)
        message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        result.errors.append(
            RowError(0, "", "", _("The records cannot be stored: %(error)s") % {"error": message})
        )


def _write_rows(
    actor: User,
    import_type: ImportType,
    table: Table,
    rows: list[ImportRow],
    data: bytes,
    result: ImportResult,
) -> None:
    created: dict[str, list[int]] = {}
    cells = dict(table.rows)
    with transaction.atomic():
        for row in rows:
            raw = dict(zip(table.header, cells[row.line], strict=False))
            _save_row(actor, import_type, row, raw, result, created)
        if result.errors or result.dry_run:
            transaction.set_rollback(True)
            return
        # The records of the row's own type (a row may also register e.g. a helpline).
        model, ids = max(created.items(), key=lambda item: len(item[1]), default=("", []))
        _audit(actor, import_type, result, data, WriteResult(model=model, created_ids=ids))


def _run(
    actor: User,
    import_type: ImportType,
    file_name: str,
    data: bytes,
    dry_run: bool,
    ignore_columns: bool = False,
) -> Generator[tuple[int, int], None, ImportResult]:
    result = ImportResult(import_type=import_type.name, file_name=file_name, dry_run=dry_run)
    try:
        table: Table | None = read_table(file_name, data)
    except FileFormatError as exc:
        result.errors.append(RowError(exc.line, "", "", str(exc)))
        table = None
    if table is not None:
        result.rows = total = len(table.rows)
        try:
            _check_header(import_type, table, result, ignore_columns)
            if not result.errors and not table.rows:
                result.errors.append(RowError(0, "", "", _("The file has no data rows.")))
            workers = 0 if result.errors else parallel.workers_for(import_type, total)
            if workers:
                try:
                    staging = parallel.stage(actor, import_type, table, result, workers)
                    while True:
                        try:
                            # The last step (saving) is reported only when it is over.
                            yield min(next(staging), total - 1), total
                        except StopIteration as stop:
                            staged = stop.value
                            break
                except parallel.Refused:
                    workers = 0  # staged in this process, which reports the refusal
                else:
                    if staged is not None:
                        _write_staged(actor, import_type, staged, data, result)
            if not result.errors and not workers:
                rows: list[ImportRow] = []
                for done in _parse_rows(import_type, table, result, rows):
                    # The last step (saving) is reported only when it is over.
                    yield min(done, total - 1), total
                # The rows that parsed are checked by the type's rules even when others did
                # not, so that one run lists every problem of the file.
                if rows:
                    if import_type.bulk is not None:
                        _write_bulk(actor, import_type, table, rows, data, result)
                    else:
                        _write_rows(actor, import_type, table, rows, data, result)
        except _TooManyErrors:
            pass  # nothing was written, or the transaction it was raised in rolled back
        yield total, total
    if result.errors:
        result.created = result.existing = 0
        result.errors.sort(key=lambda error: error.line)
    if not result.saved:
        # A saved import was audited inside its transaction, with its records.
        _audit(actor, import_type, result, data)
    return result


def import_file(
    *,
    actor: User,
    import_type: ImportType,
    file_name: str,
    data: bytes,
    dry_run: bool = False,
    progress: Progress | None = None,
    ignore_columns: bool = False,
) -> ImportResult:
    """Import a whole file or nothing. With dry_run every row is checked by the type's
    rules and nothing is saved. One audit event records the type, the file's name and
    SHA-256, the counts, the outcome and the ids created."""
    steps = iter_import(
        actor=actor,
        import_type=import_type,
        file_name=file_name,
        data=data,
        dry_run=dry_run,
        ignore_columns=ignore_columns,
    )
    while True:
        try:
            done, total = next(steps)
        except StopIteration as stop:
            return stop.value
        if progress is not None:
            progress(done, total)
