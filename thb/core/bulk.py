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

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connections, models, router


class PreparedInsert:
    def __init__(
        self,
        model: type[models.Model],
        objects: Sequence[models.Model],
        *,
        links: Mapping[str, Sequence[models.Model]] | None = None,
    ) -> None:
        """`links` maps a foreign-key column (e.g. "case_id") to the parent object of
        each row, in the same order as `objects`."""
        self.model = model
        self.objects = list(objects)
        self.links = {name: list(parents) for name, parents in (links or {}).items()}
        for name, parents in self.links.items():
            if len(parents) != len(self.objects):
                raise ValueError(f"{model.__name__}.{name}: one parent per row")
        self.using = router.db_for_write(model)
        connection = connections[self.using]
        meta = model._meta
        self.fields = [f for f in meta.concrete_fields if not f.primary_key]
        self.columns = [str(f.column) for f in self.fields]
        self._link_at = [self.columns.index(name) for name in self.links]
        rows: list[list[Any]] = []
        for obj in self.objects:
            rows.append(
                [
                    field.get_db_prep_save(field.pre_save(obj, add=True), connection)
                    for field in self.fields
                ]
            )
        self.rows = rows

    def insert(self, batch_size: int = 1000) -> None:
        """Insert the rows (in the caller's transaction) and set the new primary keys."""
        if not self.objects:
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
        # Within every database's limit of parameters in one statement.
        per_statement = max(1, min(batch_size, 30000 // max(1, len(self.columns))))
        # Table and column names come from the model's metadata, quoted; values are
        # always parameters.
        columns = ", ".join(quote(c) for c in self.columns)
        head = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "  # noqa: S608
        one = "(" + ", ".join(["%s"] * len(self.columns)) + ")"
        tail = f" RETURNING {quote(str(pk.column))}"
        with connection.cursor() as cursor:
            for start in range(0, len(self.rows), per_statement):
                chunk = self.rows[start : start + per_statement]
                params = [value for row in chunk for value in row]
                cursor.execute(head + ", ".join([one] * len(chunk)) + tail, params)
                ids = [found[0] for found in cursor.fetchall()]
                if len(ids) != len(chunk):
                    raise RuntimeError(f"{meta.label}: the insert returned {len(ids)} ids")
                chunk_objects = self.objects[start : start + per_statement]
                for obj, new_id in zip(chunk_objects, ids, strict=True):
                    obj.pk = new_id
                    obj._state.adding = False
                    obj._state.db = self.using
