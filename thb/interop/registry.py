"""The contract between the import framework (thb.interop) and the domain apps.

Each app that can be bulk-imported declares its record types in `thb/<app>/imports.py`
by calling `register(ImportType(...))`; the app's `AppConfig.ready()` imports that
module, so the types are declared at start-up into the one registry
(thb/core/registry.py). Nothing is discovered by module name.

The framework reads a CSV or XLSX file into rows of {column name: raw text} and checks
every column (required, allowed codes, `parse`) outside any transaction. Then a type
is saved by one of two paths:

- **bulk** (`ImportType.bulk`, the preferred path): `bulk.prepare(actor, rows)` runs
  outside the write transaction. It applies the record type's rules (the same
  validator functions as the forms and the API), looks up what it needs with a
  constant number of queries (existing external ids, scope, locked submissions; never
  a query per row) and returns a `Staged`: the per-row errors, how many rows are
  already in THB, and a payload of staged objects. Only when no row has an error (and
  it is not a dry run) does the framework open ONE short transaction and call
  `bulk.write(actor, staged)`, which is the owning app's service: it inserts the
  staged objects with `bulk_create` (keeping any denormalised column exactly as the
  single-record service does) and returns a `WriteResult` naming the created ids.
  `write` writes no audit event: the framework writes one for the whole import, in the
  same transaction, with the file's SHA-256, the type, the counts and the created ids.
- **per row** (`ImportType.save_row`, for types not converted yet): `save_row` is
  called for each row inside one transaction, each row in a savepoint so that one run
  lists every error; the type's services audit each record as they do for the pages.

Any error anywhere leaves the database unchanged: imports are all-or-nothing. Errors
name the row, the column, the value and the rule; header errors are errors of line 1
(the header's line).

Obligations of a type's author (the tests in thb/interop/tests check them for every
registered type):
- every Column's `example` must be a VALID value for that column (a code from `codes`,
  a date `parse` accepts, ...): the framework builds an example row from the examples,
  puts it in the downloadable templates and imports it in its tests;
- the import must be idempotent on `key_column` (the external id): a row whose key is
  already in THB is counted as existing (and left unchanged or updated, as the type
  documents), never created twice;
- it must check the acting user's scope (own institution) and should refuse records of
  a year whose submission is accepted: `thb.interop.selectors.submission_is_locked`
  (or `locked_years` for every year of a file in one query);
- `save_row` / `prepare` receive {column name: parsed value} for every column; an
  empty optional cell arrives as None (its `parse` is not called). Error keys are
  column names so that the error names the column (ValidationError({column: message})
  from save_row, `RowIssue(line, column, message)` from prepare);
- the tests import the example row as a user with the type's first role at an institution
  of kind `extra.get("institution_kind", "other")`: set that extra key if your type
  accepts only some kinds of institution (e.g. {"institution_kind": "border_guard"});
- `count_for(institution, year)`, when given, returns how many records of this type the
  institution holds for the year (shown to the coordinator beside each submission).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.functional import Promise

from thb.accounts.models import Institution, User
from thb.core.registry import registry


@dataclass(frozen=True)
class Column:
    name: str
    """Header of the column in the file (lower_snake_case, English)."""
    help: str | Promise
    """What goes in it: shown in the template's header comment, on the import page and
    in docs (wrap in gettext_lazy: shown in the user's language)."""
    required: bool = True
    codes: Callable[[], list[str]] | None = None
    """Allowed values (e.g. profile codes), checked before `parse` and listed in templates."""
    parse: Callable[[str], Any] = str
    """Turns the stripped text into a value; raises ValueError with a message naming the rule."""
    example: str = ""
    """A valid value (the framework imports a row made of the examples in its tests)."""
    sensitive: bool = False
    """Identifying data: error messages do not repeat the value."""
    label: str | Promise = ""
    """Short human name (gettext_lazy), e.g. "Sex": a file's header may be the name or
    this label in any UI language ("Dzimums"); the Latvian template uses it. Empty: the
    help is the label (fine where the help is a short name)."""


@dataclass(frozen=True)
class ImportRow:
    """One data row of the file, its columns checked and parsed."""

    line: int
    """The row's line (CSV) or row number (XLSX), as the user sees it."""
    values: dict[str, Any]
    """{column name: parsed value}; None for an empty optional cell."""


@dataclass(frozen=True)
class RowIssue:
    """A rule a row breaks, found by `prepare`."""

    line: int
    column: str
    """The column the rule is about ("" for the row as a whole)."""
    message: str


@dataclass
class Staged:
    """What `prepare` found: errors, or the objects `write` will insert."""

    errors: list[RowIssue] = field(default_factory=list)
    existing: int = 0
    """Rows whose key is already in THB (left unchanged or updated by `write`)."""
    to_write: int = 0
    """Rows `write` will create (or update)."""
    payload: Any = None
    """The staged objects, opaque to the framework; only `write` reads them."""


@dataclass(frozen=True)
class WriteResult:
    """What `write` inserted, for the import's one audit event."""

    model: str
    """The label of the records created (e.g. "victims.case")."""
    created_ids: list[int]
    updated: int = 0
    details: dict[str, Any] = field(default_factory=dict)
    """Further counts for the audit event (codes and numbers only, never identities)."""


@dataclass(frozen=True)
class BulkImport:
    prepare: Callable[[User, Sequence[ImportRow]], Staged]
    """Validate and stage every row outside the write transaction (pure checks plus a
    constant number of queries)."""
    write: Callable[[User, Staged], WriteResult]
    """Insert what `prepare` staged (called only when it found no error), inside the
    framework's one transaction; the owning app's service."""
    parts: StagedInParts | None = None
    """Optional: `prepare` split so that a large file is staged in worker processes
    (thb/interop/parallel.py). `prepare` must then give what `parts` gives for the
    whole file in one part."""


@dataclass(frozen=True)
class StagedInParts:
    """`prepare` in three steps, so that the rows' checks, staging and conversion run
    in worker processes, a part of the file each, while the importing process only
    reads the file, joins the parts and writes:

    - `context(actor)`, in the importing process before the workers start: everything
      the rows' checks need from the database (e.g. the external ids already in THB),
      read with a constant number of queries; raises PermissionDenied as `prepare`;
    - `stage(actor, context, rows)`, in a worker for each part: `prepare` of those rows
      WITHOUT any database access (a worker has none); its `Staged` (errors, counts and
      payload) must be picklable;
    - `join(actor, context, parts)`, in the importing process: the parts' `Staged` in
      the file's order joined into the `Staged` that `write` takes (what must be unique
      over the whole file is made so here; it may query)."""

    context: Callable[[User], Any]
    stage: Callable[[User, Any, Sequence[ImportRow]], Staged]
    join: Callable[[User, Any, list[Staged]], Staged]


@dataclass(frozen=True)
class ImportType:
    name: str
    """Machine name used by `thb import FILE --type NAME` (e.g. "helpline_contacts")."""
    label: str | Promise
    """Human name, shown on the upload page (wrap in gettext_lazy)."""
    columns: list[Column]
    save_row: Callable[[User, dict[str, Any]], tuple[models.Model, bool]] | None = None
    """Per-row path: create or update one record from the parsed row; returns (record,
    created). Raises django ValidationError({column name: message}) or PermissionDenied.
    Must be idempotent on `key_column`: re-importing the same file creates nothing new."""
    roles: tuple[str, ...] = ()
    """Roles allowed to import this type (thb.accounts.models.Role values)."""
    key_column: str | None = None
    """The external-id column that makes re-imports idempotent."""
    description: str | Promise = ""
    extra: dict[str, Any] = field(default_factory=dict)
    count_for: Callable[[Institution, int], int] | None = None
    """Optional: how many records of this type the institution holds for the year."""
    permits: Callable[[User], bool] | None = None
    """Optional: a further check beyond the role, e.g. the kind of the user's institution
    (only police, prosecutors and courts import criminal proceedings)."""
    bulk: BulkImport | None = None
    """The bulk path (prepare outside the transaction, write in one short one); used
    instead of `save_row` when given."""

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    def example_row(self) -> dict[str, str]:
        """One valid row made of the columns' examples."""
        return {column.name: column.example for column in self.columns}


_REGISTRY: dict[str, ImportType] = registry.import_types


def register(import_type: ImportType) -> ImportType:
    if import_type.name in _REGISTRY and _REGISTRY[import_type.name] is not import_type:
        raise ValueError(f"import type {import_type.name!r} registered twice")
    names = [c.name for c in import_type.columns]
    if len(set(names)) != len(names):
        raise ValueError(f"import type {import_type.name!r} has a duplicate column")
    if (import_type.save_row is None) == (import_type.bulk is None):
        raise ValueError(f"import type {import_type.name!r}: give save_row or bulk")
    if not import_type.roles:
        raise ValueError(f"import type {import_type.name!r}: no role may import it")
    if import_type.key_column is not None and import_type.key_column not in names:
        raise ValueError(f"import type {import_type.name!r}: key column is not a column")
    _REGISTRY[import_type.name] = import_type
    return import_type


def registered() -> dict[str, ImportType]:
    """All import types the apps declared, by name."""
    return dict(sorted(_REGISTRY.items()))


def get_import_type(name: str) -> ImportType:
    """The registered type of that name; KeyError if there is none."""
    return registered()[name]


def import_types_for(user: User) -> list[ImportType]:
    """The types the user's role may import, by name."""
    from thb.interop.policy import can_import

    return [t for t in registered().values() if can_import(user, t)]
