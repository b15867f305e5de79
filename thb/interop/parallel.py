"""A large import staged in worker processes.

For a type whose `BulkImport.parts` splits its `prepare` (thb/interop/registry.py),
a file of at least THB_IMPORT_PARALLEL_ROWS rows is checked in THB_IMPORT_WORKERS
worker processes, a part of the file each: each worker reads its rows' cells
(`_parse_row`, as in one process), applies the type's rules and stages and converts
its rows (`parts.stage`: for victim cases the identities are encrypted there too).
The importing process meanwhile only reads the file and hands out its parts; it then
finds the ids that repeat across parts, joins the parts (`parts.join`) and writes them
in its one short transaction, as for any import.

Nothing changes for the user: the same errors (row, column, value, rule) in the same
order and at most MAX_ERRORS of them, the same records, all or nothing, one audit
event; a dry run writes nothing. The workers have no database access: what the rules
need from the database is read once before they start (`parts.context`), and the
workers are forked from the importing process, so they inherit it, the profile, the
keys and the active language without copying. A worker that tries a query fails
loudly instead of sharing the importing process's connection.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Generator, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connections
from django.utils import translation
from django.utils.translation import gettext as _

from thb.accounts.models import User
from thb.interop.registry import ImportRow, ImportType, Staged, StagedInParts
from thb.interop.tables import Line, Table

logger = logging.getLogger(__name__)

PART_ROWS = 2500
"""Rows a worker stages at a time (a part): small enough to spread the work evenly
and report progress, large enough that handing it over costs little."""


AUTO_MAX = 4
"""At most this many workers when THB_IMPORT_WORKERS is "auto"."""


def auto_workers() -> int:
    """The workers "auto" gives here: one a CPU this process may use (at most
    AUTO_MAX; none on one CPU), and none in a process that runs other threads: a
    forked child keeps only the forking thread, and a lock another thread held at that
    moment (logging's, a connection's) would stay locked in it."""
    if threading.active_count() > 1:
        return 0
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        cpus = os.cpu_count() or 1
    return min(cpus, AUTO_MAX) if cpus > 1 else 0


def workers_for(import_type: ImportType, rows: int) -> int:
    """How many worker processes stage this import (0: staged in this process)."""
    if import_type.bulk is None or import_type.bulk.parts is None:
        return 0
    configured = settings.THB_IMPORT_WORKERS
    workers = auto_workers() if configured is None else int(configured)
    if workers < 1 or rows < max(int(settings.THB_IMPORT_PARALLEL_ROWS), 1):
        return 0
    if "fork" not in multiprocessing.get_all_start_methods():
        return 0  # the workers inherit the importing process's state (not on Windows)
    if multiprocessing.current_process().daemon:
        return 0  # a daemonic process may not start processes
    return workers


@dataclass
class _Job:
    """The import being staged, set before the workers are forked (they inherit it)."""

    import_type: ImportType
    table: Table
    actor: User
    context: Any
    language: str | None


@dataclass
class _Part:
    """What a worker found in its part of the file."""

    errors: list[Any] = field(default_factory=list)
    """The cells' errors (RowError), in line order, at most MAX_ERRORS + 1."""
    keys: list[tuple[str, int]] = field(default_factory=list)
    """(key, line) of the rows whose cells were read, in line order."""
    staged: Staged | None = None
    """The type's staging of those rows (its issues moved to `staged_errors`)."""
    staged_errors: list[Any] = field(default_factory=list)
    """The rules' errors (RowError, value as shown), at most MAX_ERRORS + 1."""


_JOB: _Job | None = None


def _no_database(*_args: Any, **_kwargs: Any) -> Any:
    raise RuntimeError("An import worker process has no database access.")


def _worker_started() -> None:
    # The connections are the importing process's: never used, never closed here (a
    # worker ends with os._exit, so nothing is sent on them).
    for alias in connections:
        wrapper: Any = connections[alias]
        wrapper._cursor = _no_database
        wrapper.connect = _no_database


def _stage_part(lines: list[Line]) -> _Part:
    """A worker's task: read, check and stage one part of the file."""
    from thb.interop import importer

    job = _JOB
    assert job is not None, "the job is set before the workers are forked"
    if job.language:
        translation.activate(job.language)
    import_type, table = job.import_type, job.table
    parts = import_type.bulk.parts if import_type.bulk is not None else None
    assert parts is not None
    found = importer.ImportResult(import_type.name, "", dry_run=True)
    part = _Part()
    rows: list[ImportRow] = []
    key = import_type.key_column
    reader = importer._RowReader.build(import_type, table, {})
    was_enabled = gc.isenabled()
    gc.disable()  # as importer._gc_paused: the rows' objects live until the part is done
    try:
        try:
            for line, cells in lines:
                values = importer._parse_row(import_type, table, line, cells, found, None, reader)
                if values is None:
                    continue
                if key is not None and values.get(key) is not None:
                    part.keys.append((str(values[key]), line))
                rows.append(ImportRow(line, values))
        except importer._TooManyErrors:
            part.errors = [*found.errors, found.errors[-1]]  # more than MAX_ERRORS
            return part
        part.errors = found.errors
        if not rows:
            return part
        staged = parts.stage(job.actor, job.context, rows)
        if staged.errors:
            cells_of = dict(lines)
            for issue in staged.errors[: importer.MAX_ERRORS + 1]:
                column = next((c for c in import_type.columns if c.name == issue.column), None)
                raw = dict(zip(table.header, cells_of.get(issue.line, []), strict=False))
                value = raw.get(issue.column, "").strip()
                part.staged_errors.append(
                    importer.RowError(
                        issue.line, issue.column, importer._shown(column, value), issue.message
                    )
                )
            staged.errors = []
            staged.payload = None  # nothing of a part with errors is written
        part.staged = staged
        return part
    finally:
        if was_enabled:
            gc.enable()


def _parts(rows: Iterable[Line]) -> Iterator[list[Line]]:
    part: list[Line] = []
    for line in rows:
        part.append(line)
        if len(part) == PART_ROWS:
            yield part
            part = []
    if part:
        yield part


class Refused(Exception):
    """`parts.context` refused the actor: the import is staged in one process, which
    reports it as `prepare` does."""


def stage(
    actor: User,
    import_type: ImportType,
    table: Table,
    result: Any,
    workers: int,
) -> Generator[int, None, Staged | None]:
    """Stage the file's rows in `workers` processes, yielding the rows done now and
    then; returns the joined `Staged`, or None when a row has an error (the errors are
    in `result`, exactly as one process finds them). Raises Refused (nothing done) when
    the type's context refuses the actor, and importer._TooManyErrors as the one-process
    path does."""
    global _JOB
    from thb.interop import importer

    assert import_type.bulk is not None and import_type.bulk.parts is not None
    parts: StagedInParts = import_type.bulk.parts
    try:
        context = parts.context(actor)
    except PermissionDenied as exc:
        raise Refused from exc
    _JOB = _Job(import_type, table, actor, context, translation.get_language())
    found: list[_Part] = []
    try:
        # A worker that dies (killed, out of memory) breaks the pool: the import fails
        # with BrokenProcessPool, nothing saved, instead of waiting for it forever.
        pool = ProcessPoolExecutor(
            workers, mp_context=multiprocessing.get_context("fork"), initializer=_worker_started
        )
        try:
            # A few parts ahead of the workers, in the file's order: the file is read
            # while they work, and only those parts' cells wait in memory.
            pending: deque[Future[_Part]] = deque()
            for lines in _parts(table.rows):
                pending.append(pool.submit(_stage_part, lines))
                if len(pending) > 2 * workers:
                    found.append(pending.popleft().result())
                    yield min(len(found) * PART_ROWS, len(table.rows))
            while pending:
                found.append(pending.popleft().result())
                yield min(len(found) * PART_ROWS, len(table.rows))
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    finally:
        _JOB = None
    # The errors as one process finds them: first the cells' errors and the ids that
    # repeat (the first MAX_ERRORS by line), then the rules' errors of the other rows.
    key = import_type.key_column
    cell_errors = [error for part in found for error in part.errors]
    first_line: dict[str, int] = {}
    repeated: set[int] = set()
    for part in found:
        for text, line in part.keys:
            if text in first_line:
                message = _("The same id is on line %(line)d.") % {"line": first_line[text]}
                cell_errors.append(importer.RowError(line, key or "", text, message))
                repeated.add(line)
            else:
                first_line[text] = line
    cell_errors.sort(key=lambda error: error.line)
    for error in cell_errors:
        importer._add(result, error)
    for part in found:
        for error in part.staged_errors:
            if error.line not in repeated:
                importer._add(result, error)
    if result.errors:
        return None
    staged = [part.staged for part in found if part.staged is not None]
    return parts.join(actor, context, staged)
