"""The contract between the import framework (thb.interop) and the domain apps.

Each app that can be bulk-imported declares its record types in `thb/<app>/imports.py`
by calling `register(ImportType(...))`; the app's `AppConfig.ready()` imports that
module, so the types are declared at start-up into the one registry
(thb/core/registry.py). Nothing is discovered by module name.

The framework reads a CSV or XLSX file into rows of {column name: raw text}, checks
every column (required, allowed codes, `parse`), then calls `save_row` for each row in
one transaction. Any error anywhere rolls the whole file back: imports are
all-or-nothing. Errors name the row, the column, the value and the rule.

Obligations of a type's author (the tests in thb/interop/tests check them for every
registered type):
- every Column's `example` must be a VALID value for that column (a code from `codes`,
  a date `parse` accepts, ...): the framework builds an example row from the examples,
  puts it in the downloadable templates and imports it in its tests;
- `save_row` must be idempotent on `key_column` (the external id), must check the acting
  user's scope (own institution) and should refuse records of a year whose submission
  is accepted: `thb.interop.selectors.submission_is_locked(institution, year)`;
- `save_row` receives {column name: parsed value} for every column; an empty optional
  cell arrives as None (its `parse` is not called). ValidationError keys should be
  column names so that the error names the column;
- the tests import the example row as a user with the type's first role at an institution
  of kind `extra.get("institution_kind", "other")`: set that extra key if your save_row
  accepts only some kinds of institution (e.g. {"institution_kind": "border_guard"});
- `count_for(institution, year)`, when given, returns how many records of this type the
  institution holds for the year (shown to the coordinator beside each submission).
"""

from __future__ import annotations

from collections.abc import Callable
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
class ImportType:
    name: str
    """Machine name used by `thb import FILE --type NAME` (e.g. "helpline_contacts")."""
    label: str | Promise
    """Human name, shown on the upload page (wrap in gettext_lazy)."""
    columns: list[Column]
    save_row: Callable[[User, dict[str, Any]], tuple[models.Model, bool]]
    """Create or update one record from the parsed row; returns (record, created).
    Raises django ValidationError({column name: message}) or PermissionDenied.
    Must be idempotent on `key_column`: re-importing the same file creates nothing new."""
    roles: tuple[str, ...]
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
