"""The import engine: checks every row of a file against its import type and saves
them all in one transaction, or nothing. Used by `thb import` and the upload page."""

from __future__ import annotations

import logging
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from thb.accounts.models import User
from thb.audit.models import Action
from thb.audit.services import audit_record
from thb.interop.labels import code_for, resolve_header
from thb.interop.policy import can_import
from thb.interop.registry import Column, ImportType
from thb.interop.tables import MAX_CELL_CHARS, FileFormatError, Table, read_table

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


def _parse_cell(column: Column, raw: str) -> tuple[Any, str | None]:
    """(value, None) or (None, the rule broken)."""
    text = raw.strip()
    if text == "":
        return None, (_("A value is required.") if column.required else None)
    if len(text) > MAX_CELL_CHARS:
        return None, _("The value is longer than %(max)d characters.") % {"max": MAX_CELL_CHARS}
    if column.codes is not None:
        # A code in any case, or its label in any UI language (thb/interop/labels.py).
        code, rule = code_for(column.codes(), text)
        if code is None:
            return None, rule
        text = code
    try:
        return column.parse(text), None
    except (ValueError, TypeError, ArithmeticError) as exc:
        return None, str(exc) or _("The value cannot be read.")
    except ValidationError as exc:
        return None, " ".join(exc.messages)
    except Exception:
        # A parser of another app failing in an unforeseen way must not break the whole
        # upload: the row is refused and the defect is logged for the developers.
        logger.exception("import column %s: parse failed", column.name)
        return None, _("The value cannot be read.")


def _parse_row(
    import_type: ImportType, table: Table, line: int, cells: list[str], result: ImportResult
) -> dict[str, Any] | None:
    if len(cells) > len(table.header) and any(c.strip() for c in cells[len(table.header) :]):
        _add(
            result,
            RowError(
                line,
                "",
                "",
                _("The line has %(n)d values; the header has %(h)d.")
                % {"n": len(cells), "h": len(table.header)},
            ),
        )
        return None
    raw = dict(zip(table.header, cells, strict=False))
    values: dict[str, Any] = {}
    ok = True
    for column in import_type.columns:
        text = raw.get(column.name, "")
        value, rule = _parse_cell(column, text)
        if rule is not None:
            _add(result, RowError(line, column.name, _shown(column, text.strip()), rule))
            ok = False
        values[column.name] = value
    return values if ok else None


def _save_row(
    actor: User,
    import_type: ImportType,
    line: int,
    values: dict[str, Any],
    raw: dict[str, str],
    result: ImportResult,
) -> None:
    try:
        # A savepoint per row: a failed row is undone and the next rows are still checked,
        # so that one run lists every problem of the file.
        with transaction.atomic():
            _record, created = import_type.save_row(actor, values)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for name, messages in exc.message_dict.items():
                column = next((c for c in import_type.columns if c.name == name), None)
                value = raw.get(name, "").strip()
                _add(
                    result,
                    RowError(
                        line,
                        name if name != "__all__" else "",
                        _shown(column, value),
                        " ".join(messages),
                    ),
                )
        else:
            _add(result, RowError(line, "", "", " ".join(exc.messages)))
        return
    except PermissionDenied as exc:
        _add(result, RowError(line, "", "", str(exc) or _("Not permitted.")))
        return
    except _TooManyErrors:
        raise
    except DatabaseError as exc:
        _add(
            result,
            RowError(line, "", "", _("The record cannot be stored: %(error)s") % {"error": exc}),
        )
        return
    except Exception:
        # A defect in a type's save_row: refuse the row (the file rolls back) and log it.
        logger.exception("import type %s: save_row failed", import_type.name)
        _add(result, RowError(line, "", "", _("Unexpected error while saving this row.")))
        return
    if created:
        result.created += 1
    else:
        result.existing += 1


def _import_rows(
    actor: User, import_type: ImportType, table: Table, result: ImportResult
) -> Iterator[tuple[int, int]]:
    total = len(table.rows)
    keys: dict[str, int] = {}
    for done, (line, cells) in enumerate(table.rows, start=1):
        values = _parse_row(import_type, table, line, cells, result)
        key = import_type.key_column
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
            raw = dict(zip(table.header, cells, strict=False))
            _save_row(actor, import_type, line, values, raw, result)
        yield done, total


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
    ImportResult, so that a page can stream progress while the one transaction runs.
    Consume it to the end in one thread; closing it early rolls everything back."""
    if not can_import(actor, import_type):
        raise PermissionDenied(_("Your role may not import this type of record."))
    return _run(actor, import_type, file_name, data, dry_run, ignore_columns)


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
        result.rows = len(table.rows)
        try:
            _check_header(import_type, table, result, ignore_columns)
            if not result.errors and not table.rows:
                result.errors.append(RowError(0, "", "", _("The file has no data rows.")))
            if not result.errors:
                with transaction.atomic():
                    yield from _import_rows(actor, import_type, table, result)
                    if result.errors or dry_run:
                        transaction.set_rollback(True)
        except _TooManyErrors:
            pass  # raised inside the atomic block: everything is rolled back
    if result.errors:
        result.created = result.existing = 0
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="interop.import",
        object_id=import_type.name,
        details={
            "type": import_type.name,
            "file_name": file_name[:200],
            "rows": result.rows,
            "created": result.created,
            "existing": result.existing,
            "errors": len(result.errors),
            "outcome": result.outcome,
            "skipped_columns": result.skipped_columns[:50],
        },
    )
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
    """Import a whole file or nothing. With dry_run every row is checked and saved inside
    the transaction (so the types' own rules run), then everything is rolled back.
    One audit event records the type, file name, row count and outcome."""
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
