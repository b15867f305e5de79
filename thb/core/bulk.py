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
import itertools
import operator
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from django.conf import settings
from django.db import connections, models, router
from django.utils import timezone
from django_countries.fields import CountryField

from thb.core.fields import EncryptedTextField

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


def _stamp(field: models.Field[Any, Any], now: datetime.datetime) -> Any:
    """The value DateField/DateTimeField.pre_save sets for auto_now(_add), the same for
    every row of one insert."""
    return now if isinstance(field, models.DateTimeField) else datetime.date.today()


def _constant(stored: Any) -> Callable[[Any], Any]:
    return lambda _value: stored


def _is_stamped(field: models.Field[Any, Any]) -> bool:
    return bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))


def _reader(field: models.Field[Any, Any], stamp: Any, mappings: bool) -> Callable[[Any], Any]:
    """The value to store, read as `bulk_create` reads it: auto_now and auto_now_add
    dates are set to the moment of the preparation (once for all rows, as one
    statement would); the plain attribute otherwise. Rows given as mappings (by
    attribute name) take the field's default for what they leave out."""
    if _is_stamped(field):
        attname = field.attname

        def stamped(obj: Any) -> Any:
            if not mappings:
                setattr(obj, attname, stamp)
            return stamp

        return stamped
    if not mappings:
        return operator.attrgetter(field.attname)
    attname = field.attname
    if field.has_default() and callable(field.default):
        default = field.get_default  # a fresh value per row (a list, a dict)

        def read(row: Any) -> Any:
            return row[attname] if attname in row else default()

        return read
    constant = field.get_default()
    return lambda row: row.get(attname, constant)


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
        if connection.vendor == "sqlite" and settings.USE_TZ:
            # What SQLite's adapter does with an aware value (make_naive in the
            # connection's zone, then str), without its per-value look-ups.
            zone = connection.timezone

            def sqlite_moment(value: Any) -> Any:
                if type(value) is datetime.datetime and value.tzinfo is not None:
                    return str(value.astimezone(zone).replace(tzinfo=None))
                return general(value)

            return sqlite_moment

        def moment(value: Any) -> Any:
            aware = type(value) is datetime.datetime and value.tzinfo is not None
            return adapt_moment(value) if aware else general(value)

        return moment
    if isinstance(field, EncryptedTextField):
        # An encrypted field stores "" as "" (nothing to encrypt), a text as the field's
        # ciphertext of it.
        ciphertext = field.ciphertext

        def encrypted(value: Any) -> Any:
            if type(value) is str:
                return ciphertext(value) if value else value
            return general(value)

        return encrypted
    if isinstance(field, models.JSONField):
        # What JSONField.get_db_prep_save does with a dict or list (get_prep_value
        # returns it unchanged): the backend's JSON adapter with the field's encoder.
        adapt_json = connection.ops.adapt_json_value
        encoder = field.encoder

        def json_value(value: Any) -> Any:
            return adapt_json(value, encoder) if type(value) in (dict, list) else general(value)

        return json_value
    if isinstance(field, CountryField) and not field.multiple:
        # A single country's code is stored as the text it is.
        return lambda value: value if type(value) is str or value is None else general(value)
    if type(field) is models.DateField:
        adapt = connection.ops.adapt_datefield_value

        def date(value: Any) -> Any:
            if value is None:
                return None  # what DateField stores for None: NULL
            return adapt(value) if type(value) is datetime.date else general(value)

        return date
    return general


def _rows_of_mappings(
    fields: list[models.Field[Any, Any]],
    given: list[dict[str, Any]],
    stamps: list[Any],
    converters: list[Callable[[Any], Any]],
    connection: Any,
) -> list[list[Any]]:
    """The stored values of rows given as mappings by attribute name, as `_reader` and
    `_converter` give them, with the per-row work in C where it can be: each row is
    completed with the fields' constant defaults and the (converted) auto_now stamps by
    a dict merge and read by one itemgetter; a callable default is called only for a
    row that leaves the field out; then only values whose stored form may differ are
    converted (for the plain fields, a value of another type than the stored one)."""
    attnames = [field.attname for field in fields]
    defaults: dict[str, Any] = {}
    stamped: dict[str, Any] = {}
    factories: list[tuple[str, Callable[[], Any]]] = []
    plain: list[tuple[int, tuple[type, ...], Callable[[Any], Any]]] = []
    converted: list[tuple[int, Callable[[Any], Any]]] = []
    for at, field in enumerate(fields):
        name = field.attname
        if _is_stamped(field):
            stamped[name] = converters[at](stamps[at])  # a constant (see PreparedInsert)
            continue
        if field.has_default() and callable(field.default):
            factories.append((name, field.get_default))
        else:
            defaults[name] = field.get_default()
        kinds = _PLAIN.get(type(field))
        if kinds is not None:
            general = _general(field, connection)
            plain.append((at, (*kinds, type(None)), general))
        else:
            converted.append((at, converters[at]))
    read = operator.itemgetter(*attnames)
    rows: list[list[Any]] = []
    for obj in given:
        merged = {**defaults, **obj, **stamped}
        for name, factory in factories:
            if name not in obj:
                merged[name] = factory()
        rows.append(list(read(merged)) if len(attnames) > 1 else [read(merged)])
    # Column by column: a plain column is looked at value by value only when it holds
    # a value of another type than its stored one.
    for at, kinds, general in plain:
        if not {type(row[at]) for row in rows} <= set(kinds):
            for row in rows:
                if type(row[at]) not in kinds:
                    row[at] = general(row[at])
    for at, convert in converted:
        for row in rows:
            row[at] = convert(row[at])
    return rows


def _general(field: models.Field[Any, Any], connection: Any) -> Callable[[Any], Any]:
    def general(value: Any) -> Any:
        return field.get_db_prep_save(value, connection)

    return general


def _max_parameters(connection: Any) -> int:
    """Parameters one statement may carry: SQLite's compiled limit (999 on old builds,
    32 766 since 3.32), PostgreSQL's 65 535 (kept well under)."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return int(connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
    return 30000


class ParentRows(NamedTuple):
    """A link to rows of another prepared insert (given as dicts, with `want_ids`):
    for each child row, the position of its parent among that insert's rows."""

    insert: PreparedInsert
    positions: Sequence[int]


class PreparedInsert:
    def __init__(
        self,
        model: type[models.Model],
        objects: Sequence[models.Model] | Sequence[dict[str, Any]],
        *,
        links: Mapping[str, Sequence[models.Model] | ParentRows] | None = None,
        keep_objects: bool = True,
        want_ids: bool = False,
    ) -> None:
        """`links` maps a foreign-key column (e.g. "case_id") to the parent object of
        each row, in the same order as `objects`. Without `keep_objects` the objects
        are let go once converted (nothing needs their new ids): a large import keeps
        only the parameters in memory. Rows that need no object afterwards may be given
        as dicts of values by attribute name (e.g. "case_id"), cheaper to build than
        model instances; a missing value takes the field's default. Dicts are never
        kept; with `want_ids` the new ids are in `ids`, in the rows' order, after the
        insert, and a child insert may link to them with `ParentRows(this, positions)`."""
        self.model = model
        given: list[Any] = list(objects)
        self.links: dict[str, list[models.Model] | ParentRows] = {
            name: parents if isinstance(parents, ParentRows) else list(parents)
            for name, parents in (links or {}).items()
        }
        for name, parents in self.links.items():
            count = len(parents.positions) if isinstance(parents, ParentRows) else len(parents)
            if count != len(objects):
                raise ValueError(f"{model.__name__}.{name}: one parent per row")
        self.using = router.db_for_write(model)
        connection = connections[self.using]
        meta = model._meta
        self.fields = [f for f in meta.concrete_fields if not f.primary_key]
        self.columns = [str(f.column) for f in self.fields]
        self._link_at = [self.columns.index(name) for name in self.links]
        now = timezone.now()
        mappings = bool(given) and isinstance(given[0], dict)
        stamps = [_stamp(field, now) if _is_stamped(field) else None for field in self.fields]
        pairs_in = zip(self.fields, stamps, strict=True)
        readers = [_reader(field, stamp, mappings) for field, stamp in pairs_in]
        converters = [_converter(field, connection) for field in self.fields]
        for at, field in enumerate(self.fields):
            if _is_stamped(field):
                # The same stamp for every row: converted once.
                stored = converters[at](stamps[at])
                converters[at] = _constant(stored)
        if mappings:
            self.rows = _rows_of_mappings(self.fields, given, stamps, converters, connection)
        else:
            pairs = list(zip(readers, converters, strict=True))
            self.rows = [[convert(read(obj)) for read, convert in pairs] for obj in given]
        self.count = len(self.rows)
        # The objects that receive their new ids on insert.
        self.objects: list[models.Model] = [] if not keep_objects or mappings else given
        self.want_ids = want_ids or bool(self.objects)
        self.ids: list[int] = []

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
            if isinstance(parents, ParentRows):
                parent_ids = parents.insert.ids
                if len(parent_ids) != parents.insert.count:
                    raise ValueError(f"{self.model.__name__}.{name}: the parents are not saved")
                for row, at in zip(self.rows, parents.positions, strict=True):
                    row[position] = parent_ids[at]
                continue
            for row, parent in zip(self.rows, parents, strict=True):
                if parent.pk is None:
                    raise ValueError(f"{self.model.__name__}.{name}: the parent is not saved")
                row[position] = parent.pk
        if connection.vendor == "postgresql":
            self._copy(connection)
            return
        per_statement = max(1, min(batch_size, _max_parameters(connection) // len(self.columns)))
        # Table and column names come from the model's metadata, quoted; values are
        # always parameters.
        columns = ", ".join(quote(c) for c in self.columns)
        head = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "  # noqa: S608
        # SQLite's own placeholder: Django's SQLite cursor rewrites each "%s" to "?" with
        # a regular expression, a third of the insert's time for statements of
        # thousands of parameters; a query without "%s" passes through unchanged.
        mark = "?" if connection.vendor == "sqlite" else "%s"
        one = "(" + ", ".join([mark] * len(self.columns)) + ")"
        # The new ids are asked for only where the objects are kept to receive them.
        tail = f" RETURNING {quote(str(pk.column))}" if self.want_ids else ""
        with connection.cursor() as cursor:
            for start in range(0, len(self.rows), per_statement):
                chunk = self.rows[start : start + per_statement]
                params = list(itertools.chain.from_iterable(chunk))
                cursor.execute(head + ", ".join([one] * len(chunk)) + tail, params)
                if not self.want_ids:
                    continue
                ids = [found[0] for found in cursor.fetchall()]
                self.ids += ids
                chunk_objects = self.objects[start : start + per_statement]
                for obj, new_id in zip(chunk_objects, ids if self.objects else [], strict=True):
                    obj.pk = new_id
                    obj._state.adding = False
                    obj._state.db = self.using

    def _copy(self, connection: Any) -> None:
        """PostgreSQL: the ids drawn from the table's sequence first (sequences are
        not rolled back, so a refused import leaves only a gap), then every row sent
        with COPY, the fastest way in."""
        meta = self.model._meta
        pk = meta.pk
        assert pk is not None
        quote = connection.ops.quote_name
        columns = list(self.columns)
        rows = self.rows
        with connection.cursor() as cursor:
            if self.want_ids:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [meta.db_table, pk.column, len(rows)],
                )
                ids = [found[0] for found in cursor.fetchall()]
                self.ids = ids
                rows = [[new_id, *row] for new_id, row in zip(ids, rows, strict=True)]
                columns = [str(pk.column), *columns]
                for obj, new_id in zip(self.objects, ids if self.objects else [], strict=True):
                    obj.pk = new_id
                    obj._state.adding = False
                    obj._state.db = self.using
            names = ", ".join(quote(c) for c in columns)
            statement = f"COPY {quote(meta.db_table)} ({names}) FROM STDIN"
            with cursor.cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)


def join_inserts(parts: Sequence[Sequence[PreparedInsert]]) -> list[PreparedInsert]:
    """Prepared inserts made in parts (by worker processes, each from a part of one
    import's rows) joined into one list: each part is a list of the same inserts in the
    same order, its links pointing at parents among its own inserts (`ParentRows`) or
    at parent objects. The rows are concatenated in the parts' order, each `ParentRows`
    link's positions shifted by the rows of its parent in the parts before, and each
    list of parent objects concatenated (the caller makes a parent that several parts
    hold one object first). Nothing is converted again; objects are not kept (the new
    ids are in `ids` after the insert)."""
    if not parts:
        return []
    first = parts[0]
    for part in parts:
        if len(part) != len(first) or any(
            insert.model is not model.model for insert, model in zip(part, first, strict=True)
        ):
            raise ValueError("the parts do not hold the same inserts")
    joined: list[PreparedInsert] = []
    for at, template in enumerate(first):
        insert = PreparedInsert.__new__(PreparedInsert)
        insert.__dict__.update(template.__dict__)
        insert.rows = []
        insert.objects = []
        insert.ids = []
        links: dict[str, list[models.Model] | ParentRows] = {}
        for name, parents in template.links.items():
            if not isinstance(parents, ParentRows):
                objects: list[models.Model] = []
                for part in parts:
                    link = part[at].links[name]
                    if isinstance(link, ParentRows):
                        raise ValueError(f"{template.model.__name__}.{name}: mixed links")
                    objects += link
                links[name] = objects
                continue
            parent_at = next(i for i, other in enumerate(first) if other is parents.insert)
            if parent_at >= at:
                raise ValueError(f"{template.model.__name__}.{name}: the parent comes after")
            positions: list[int] = []
            offset = 0
            for part in parts:
                link = part[at].links[name]
                assert isinstance(link, ParentRows)
                positions += [offset + position for position in link.positions]
                offset += part[parent_at].count
            links[name] = ParentRows(joined[parent_at], positions)
        insert.links = links
        for part in parts:
            insert.rows += part[at].rows
        insert.count = len(insert.rows)
        insert.want_ids = any(part[at].want_ids for part in parts)
        joined.append(insert)
    return joined
