"""Bulk inserts whose parameters are prepared before the write transaction.

`Model.objects.bulk_create` converts every value of every object to its database form
(encryption included) and compiles the SQL while the transaction, and on SQLite the
database's write lock, is held. A bulk import checks its rows first and writes them
only if all are valid; `PreparedInsert` lets it do the conversion in that first,
lock-free phase too, so that the write transaction only sends ready parameters:

    prepared = PreparedInsert(Case, cases, links={"person_id": persons})  # outside
    with transaction.atomic():
        persons.insert(); prepared.insert()                                # inside

Values are converted by the model fields themselves (`pre_save` and
`get_db_prep_save`, as `bulk_create` does), so what is stored is what the ORM would
store. A foreign key to objects inserted in the same transaction is a *link*: its
value is taken from the parent's primary key at insert time. The new primary keys are
set on the objects, as `bulk_create` does.
"""

from __future__ import annotations

import datetime
import operator
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.db import connections, models, router

# Field classes whose stored form of a str / int / bool value (or None) is the value
# itself: the conversion is skipped for them (thousands of rows, dozens of fields).
_PLAIN: dict[type[models.Field[Any, Any]], tuple[type, ...]] = {
    models.CharField: (str,),
    models.TextField: (str,),
    models.SlugField: (str,),
    models.BooleanField: (bool,),
    models.IntegerField: (int,),
    models.SmallIntegerField: (int,),
    models.BigIntegerField: (int,),
    models.PositiveIntegerField: (int,),
    models.PositiveSmallIntegerField: (int,),
    models.PositiveBigIntegerField: (int,),
    models.ForeignKey: (int,),
    models.OneToOneField: (int,),
}


def _reader(field: models.Field[Any, Any]) -> Callable[[models.Model], Any]:
    """The value to store, read as `bulk_create` reads it (`pre_save`, which sets
    auto_now and auto_now_add dates; the plain attribute otherwise)."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return lambda obj: field.pre_save(obj, add=True)
    return operator.attrgetter(field.attname)


def _converter(field: models.Field[Any, Any], connection: Any) -> Callable[[Any], Any]:
    """The field's own conversion (`get_db_prep_save`), short-cut where it is the
    identity or the backend's date adapter."""

    def general(value: Any) -> Any:
        return field.get_db_prep_save(value, connection)

    plain = _PLAIN.get(type(field))
    if plain is not None:
        # Exact types: a bool given to an integer field still takes the general path.
        kinds = (*plain, type(None))

        def fast(value: Any) -> Any:
            return value if type(value) in kinds else general(value)

        return fast
    if type(field) is models.DateTimeField:
        adapt_moment = connection.ops.adapt_datetimefield_value

        def moment(value: Any) -> Any:
            aware = type(value) is datetime.datetime and value.tzinfo is not None
            return adapt_moment(value) if aware else general(value)

        return moment
    if getattr(field, "holds_ciphertext", False):
        # An encrypted field stores "" as "" (nothing to encrypt).
        return lambda value: value if value == "" else general(value)
    if type(field) is models.DateField:
        adapt = connection.ops.adapt_datefield_value

        def date(value: Any) -> Any:
            return adapt(value) if type(value) is datetime.date else general(value)

        return date
    return general


def _max_parameters(connection: Any) -> int:
    """Parameters one statement may carry: SQLite's compiled limit (999 on old builds,
    32 766 since 3.32), PostgreSQL's 65 535 (kept well under)."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return int(connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
    return 30000


class PreparedInsert:
    def __init__(
        self,
        model: type[models.Model],
        objects: Sequence[models.Model],
        *,
        links: Mapping[str, Sequence[models.Model]] | None = None,
        keep_objects: bool = True,
    ) -> None:
        """`links` maps a foreign-key column (e.g. "case_id") to the parent object of
        each row, in the same order as `objects`. Without `keep_objects` the objects
        are let go once converted (nothing needs their new ids): a large import keeps
        only the parameters in memory."""
        self.model = model
        self.objects = list(objects)
        self.links = {name: list(parents) for name, parents in (links or {}).items()}
        for name, parents in self.links.items():
            if len(parents) != len(objects):
                raise ValueError(f"{model.__name__}.{name}: one parent per row")
        self.using = router.db_for_write(model)
        connection = connections[self.using]
        meta = model._meta
        self.fields = [f for f in meta.concrete_fields if not f.primary_key]
        self.columns = [str(f.column) for f in self.fields]
        self._link_at = [self.columns.index(name) for name in self.links]
        readers = [_reader(field) for field in self.fields]
        converters = [_converter(field, connection) for field in self.fields]
        pairs = list(zip(readers, converters, strict=True))
        self.rows = [[convert(read(obj)) for read, convert in pairs] for obj in self.objects]
        self.count = len(self.rows)
        if not keep_objects:
            self.objects = []

    def insert(self, batch_size: int = 1000) -> None:
        """Insert the rows (in the caller's transaction) and set the new primary keys."""
        if not self.rows:
            return
        connection = connections[self.using]
        quote = connection.ops.quote_name
        meta = self.model._meta
        pk = meta.pk
        assert pk is not None
        names = list(self.links)
        for position, name in zip(self._link_at, names, strict=True):
            parents = self.links[name]
            for row, parent in zip(self.rows, parents, strict=True):
                if parent.pk is None:
                    raise ValueError(f"{self.model.__name__}.{name}: the parent is not saved")
                row[position] = parent.pk
        per_statement = max(1, min(batch_size, _max_parameters(connection) // len(self.columns)))
        # Table and column names come from the model's metadata, quoted; values are
        # always parameters.
        columns = ", ".join(quote(c) for c in self.columns)
        head = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "  # noqa: S608
        one = "(" + ", ".join(["%s"] * len(self.columns)) + ")"
        # The new ids are asked for only where the objects are kept to receive them.
        tail = f" RETURNING {quote(str(pk.column))}" if self.objects else ""
        with connection.cursor() as cursor:
            for start in range(0, len(self.rows), per_statement):
                chunk = self.rows[start : start + per_statement]
                params = [value for row in chunk for value in row]
                cursor.execute(head + ", ".join([one] * len(chunk)) + tail, params)
                if not self.objects:
                    continue
                ids = [found[0] for found in cursor.fetchall()]
                chunk_objects = self.objects[start : start + per_statement]
                for obj, new_id in zip(chunk_objects, ids, strict=True):
                    obj.pk = new_id
                    obj._state.adding = False
                    obj._state.db = self.using
