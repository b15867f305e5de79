"""Writes to the activity records. One generic service serves every record type of
thb.activities.record_types: it checks the actor may write the type for its own institution,
validates codes against the profile, the type's rules and the model, saves and audits.

Audit details carry the type, the changed field names and codes only: activity records
hold no identities, and the audit log should not start holding any.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thb.accounts.models import User
from thb.activities.models import ActivityRecord
from thb.activities.policy import can_change, can_write, owns
from thb.activities.record_types import (
    RecordType,
    check_bounds,
    check_codes,
    record_year,
    validation_error,
)
from thb.audit.models import Action
from thb.audit.services import audit_record
from thb.core import validators
from thb.core.bulk import PreparedInsert, join_inserts
from thb.core.changes import records_changed


def _institution_id(actor: User) -> int:
    if actor.institution_id is None:  # can_write() refused such users already
        raise PermissionDenied
    return actor.institution_id


def _check_unlocked(record: ActivityRecord) -> None:
    """Refuse a change to a year whose submission the coordinator has accepted."""
    from thb.interop.selectors import submission_is_locked

    year = record_year(record)
    if year is not None and submission_is_locked(record.institution_id, year):
        raise _locked(year)


def _locked(year: int) -> PermissionDenied:
    return PermissionDenied(
        _(
            "The institution's submission for %(year)s is accepted and locked; "
            "ask the coordinator to reopen it."
        )
        % {"year": year}
    )


def _check_parent(actor: User, record_type: RecordType, values: Mapping[str, Any]) -> None:
    if record_type.parent is None:
        return
    parent = values.get(record_type.parent.field)
    if parent is None:
        raise validation_error({record_type.parent.field: _("This field is required.")})
    if not owns(actor, parent):
        # Someone else's helpline, event or campaign: as if it did not exist.
        raise validation_error({record_type.parent.field: "Not one of your institution's records."})


def _record_errors(
    actor: User,
    record_type: RecordType,
    record: ActivityRecord,
    values: Mapping[str, Any],
    skip: Iterable[str] = (),
) -> dict[str, str]:
    """Every rule of a record holding `values`, each failure by field: the parent, the
    profile's bounds and codes, the model's own checks and the type's rules. `skip`:
    fields a form refused already (absent from `values`), not checked again; the type's
    rules still run unless the parent is missing (they read it)."""
    skipped = set(skip)
    errors: dict[str, str] = {}
    try:
        _check_parent(actor, record_type, values)
    except ValidationError as exc:
        errors.update({name: " ".join(m) for name, m in exc.message_dict.items()})
    errors.update(check_bounds(record_type, record))
    errors.update(check_codes(record_type, record))
    try:
        record.full_clean(exclude=["created_by", *errors, *skipped])
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, " ".join(messages))
    parent_failed = record_type.parent is not None and (
        record_type.parent.field in errors or record_type.parent.field in skipped
    )
    own = {name for name in errors if name not in skipped}
    if record_type.rules is not None and not parent_failed and (skipped or not own):
        for name, message in record_type.rules(record).items():
            errors.setdefault(name, message)
    return errors


def record_check(
    *,
    actor: User,
    record_type: RecordType,
    values: Mapping[str, Any],
    instance: ActivityRecord | None = None,
    skip: Iterable[str] = (),
    errors: validators.Collect | None = None,
) -> None:
    """The rules `record_save` applies, run on a scratch copy (nothing is saved or
    changed): every failure is added to `errors` (a form's collector), else raised."""
    record: ActivityRecord = copy.copy(instance) if instance is not None else record_type.model()
    for name in record_type.fields:
        if name in values:
            setattr(record, name, values[name])
    record.institution_id = _institution_id(actor)
    failed = _record_errors(actor, record_type, record, values, skip)
    if errors is None:
        if failed:
            raise validation_error(failed)
    elif failed:
        errors.add(validation_error(failed))


@transaction.atomic
def record_save(
    *,
    actor: User,
    record_type: RecordType,
    values: Mapping[str, Any],
    instance: ActivityRecord | None = None,
    external_id: str | None = None,
) -> tuple[ActivityRecord, bool]:
    """Create (instance None) or update a record of the actor's institution.

    Raises PermissionDenied if the actor may not write the type or the record is
    another institution's, and ValidationError({field: message}) for bad values;
    nothing is saved then."""
    if not can_change(actor, record_type, instance):
        raise PermissionDenied
    if instance is not None:
        _check_unlocked(instance)
    created = instance is None
    record: ActivityRecord = instance if instance is not None else record_type.model()
    changed: list[str] = []
    for name in record_type.fields:
        if name not in values:
            continue
        if created or getattr(record, name) != values[name]:
            changed.append(name)
        setattr(record, name, values[name])
    record.institution_id = _institution_id(actor)
    if external_id is not None:
        record.external_id = external_id
    if created:
        record.created_by = actor
    errors = _record_errors(actor, record_type, record, values)
    if errors:
        raise validation_error(errors)
    _check_unlocked(record)
    if not created and not changed:
        return record, False
    record.save()
    audit_record(
        actor=actor,
        action=Action.CREATE if created else Action.UPDATE,
        target=record,
        details={"type": record_type.slug, "fields": changed},
    )
    return record, created


@transaction.atomic
def record_delete(*, actor: User, record_type: RecordType, instance: ActivityRecord) -> None:
    if not can_change(actor, record_type, instance):
        raise PermissionDenied
    _check_unlocked(instance)
    pk = instance.pk
    instance.delete()
    audit_record(
        actor=actor,
        action=Action.DELETE,
        object_type=record_type.model._meta.label_lower,
        object_id=str(pk),
        details={"type": record_type.slug},
    )


@transaction.atomic
def record_bulk_create(
    *, actor: User, record_type: RecordType, rows: Iterable[Mapping[str, Any]]
) -> int:
    """Many records of one type at once, validated like `record_save` and audited as
    one event with the count (the demo's 1 280 complaints should not be 1 280 events)."""
    if not can_write(actor, record_type):
        raise PermissionDenied
    records = []
    for values in rows:
        _check_parent(actor, record_type, values)
        record = record_type.model(institution_id=_institution_id(actor), created_by=actor)
        for name in record_type.fields:
            if name in values:
                setattr(record, name, values[name])
        errors = {**check_bounds(record_type, record), **check_codes(record_type, record)}
        try:
            record.full_clean(exclude=["created_by", *errors])
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors.setdefault(name, " ".join(messages))
        if not errors and record_type.rules is not None:
            errors.update(record_type.rules(record))
        if errors:
            raise validation_error(errors)
        records.append(record)
    # The years' locks in one query, not one a record (as _check_unlocked would).
    from thb.interop.selectors import locked_years

    years = [record_year(record) for record in records]
    locked = locked_years(_institution_id(actor), {y for y in years if y is not None})
    if locked:
        raise _locked(min(locked))
    record_type.model._default_manager.bulk_create(records)
    # bulk_create sends no signal: the stored figures hear of the rows here.
    records_changed(None if None in years else years)  # type: ignore[arg-type]
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type=record_type.model._meta.label_lower,
        details={"type": record_type.slug, "bulk": len(records)},
    )
    return len(records)


# Bulk import (thb/activities/imports.py): every record checked by the same rules as
# `record_save` (bounds, codes, the model's field checks, the type's rules) outside the
# write transaction, with a constant number of queries; then written with bulk inserts
# and updates. The import engine writes one audit event for the whole file.


@dataclass
class StagedRecords:
    """Records checked by `records_import_stage`, ready for `records_import_write`."""

    record_type: RecordType
    institution_id: int
    new: list[ActivityRecord] = field(default_factory=list)
    """The new records, when kept (a part staged in a worker keeps only `insert`)."""
    new_count: int = 0
    changed: list[tuple[ActivityRecord, list[str]]] = field(default_factory=list)
    unchanged: int = 0
    years: list[int | None] = field(default_factory=list)
    """The reporting year of each new and changed record (for `records_changed`)."""
    insert: PreparedInsert | None = None
    """The new records in their stored form, prepared outside the transaction; the
    parent (e.g. a helpline registered by the same import) is linked on insert."""

    @property
    def existing(self) -> int:
        return len(self.changed) + self.unchanged

    def __getstate__(self) -> dict[str, Any]:
        # A part staged in a worker process is sent back pickled: the record type (its
        # callables) by its slug.
        return {**self.__dict__, "record_type": self.record_type.slug}

    def __setstate__(self, state: dict[str, Any]) -> None:
        from thb.activities.record_types import get_type

        self.__dict__.update({**state, "record_type": get_type(state["record_type"])})


@dataclass
class RecordsWritten:
    created_ids: list[int]
    updated: int


def _foreign_keys(record_type: RecordType) -> list[str]:
    # Checked by the import (the institution is the actor's, parents by `owns`), not by
    # one query per record and key as Model.clean_fields would.
    return [
        f.name for f in record_type.model._meta.concrete_fields if isinstance(f, models.ForeignKey)
    ]


@dataclass(frozen=True)
class RecordsContext:
    """What checking an institution's import of one type needs from the database, read
    once (`records_import_context`): with it, `records_import_stage` of rows that name
    no stored record reads nothing (a part of a large file is staged in a worker
    process, which has no database access)."""

    institution_id: int
    stored: dict[str, int]
    """The institution's records of the type by external id (their primary keys)."""
    locked: frozenset[int]
    """The reporting years its accepted submissions lock."""
    check: Callable[[ActivityRecord], dict[str, str]] | None
    """The type's rules for the institution's records (`batch_rules`, read once)."""


def records_import_context(*, actor: User, record_type: RecordType) -> RecordsContext:
    """Read what `records_import_stage` needs, in a constant number of queries; raises
    PermissionDenied when the actor may not write the type."""
    from thb.interop.selectors import locked_years

    if not can_write(actor, record_type):
        raise PermissionDenied
    institution_id = _institution_id(actor)
    stored = dict(
        record_type.model._default_manager.filter(institution_id=institution_id)
        .exclude(external_id="")
        .values_list("external_id", "pk")
    )
    return RecordsContext(
        institution_id=institution_id,
        stored=stored,
        locked=frozenset(locked_years(institution_id)),
        check=(
            record_type.batch_rules(institution_id)
            if record_type.batch_rules is not None
            else record_type.rules
        ),
    )


def records_import_stage(
    *,
    actor: User,
    record_type: RecordType,
    rows: Sequence[tuple[Mapping[str, Any], str]],
    context: RecordsContext | None = None,
    keep_new: bool = True,
) -> tuple[dict[int, ValidationError], StagedRecords]:
    """Check many (values, external id) rows of one type. A row whose external id the
    institution already holds updates that record (as `record_save` with its instance).
    Returns the errors by row position and the staged records. Without `context` it is
    read here; with it, only rows naming stored records query (for those records).
    Without `keep_new` the new records are let go once prepared for insert (`insert`
    and `new_count` stand for them)."""
    if not can_write(actor, record_type):
        raise PermissionDenied
    if context is None:
        context = records_import_context(actor=actor, record_type=record_type)
    institution_id = context.institution_id
    model = record_type.model
    # The records themselves only for the rows that name one (a re-import), in chunks
    # within every database's limit.
    stored = context.stored
    wanted = [stored[external_id] for _values, external_id in rows if external_id in stored]
    existing: dict[str, ActivityRecord] = {}
    for start in range(0, len(wanted), 900):
        for record in model._default_manager.filter(pk__in=wanted[start : start + 900]):
            existing[record.external_id] = record
    staged = StagedRecords(record_type=record_type, institution_id=institution_id)
    errors: dict[int, ValidationError] = {}
    # (position, record, changed fields or None when new, its reporting year)
    records: list[tuple[int, ActivityRecord, list[str] | None, int | None]] = []
    exclude = ["created_by", *_foreign_keys(record_type)]
    moved_from: dict[int, int | None] = {}
    codes: dict[str, set[str]] = {}
    bounds: dict[str, Any] = {}
    for index, (values, external_id) in enumerate(rows):
        instance = existing.get(external_id)
        record = instance if instance is not None else model()
        changed: list[str] = []
        for name in record_type.fields:
            if name in values:
                if instance is None or getattr(record, name) != values[name]:
                    changed.append(name)
                setattr(record, name, values[name])
        record.institution_id = institution_id
        record.external_id = external_id
        if instance is None:
            record.created_by_id = actor.pk
        try:
            _check_parent(actor, record_type, values)
        except ValidationError as exc:
            errors[index] = exc
            continue
        problems = {
            **check_bounds(record_type, record, bounds),
            **check_codes(record_type, record, codes),
        }
        try:
            record.clean_fields(exclude=[*exclude, *problems])
            record.clean()
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                problems.setdefault(name, " ".join(messages))
        if problems:
            errors[index] = validation_error(problems)
            continue
        records.append((index, record, None if instance is None else changed, record_year(record)))
        if instance is not None:
            moved_from[index] = record_year(instance)
    # A record may not move into, nor out of, a locked year.
    locked = context.locked
    check = context.check
    for index, record, changed_fields, record_in in records:
        problems = check(record) if check is not None else {}
        if problems:
            errors[index] = validation_error(problems)
        elif record_in in locked or moved_from.get(index) in locked:
            year = record_in if record_in in locked else moved_from[index]
            errors[index] = ValidationError(
                _(
                    "The institution's submission for %(year)s is accepted and locked; "
                    "ask the coordinator to reopen it."
                )
                % {"year": year}
            )
        elif changed_fields is None:
            staged.new.append(record)
            staged.years.append(record_in)
        elif changed_fields:
            staged.changed.append((record, changed_fields))
            staged.years.append(record_in)
        else:
            staged.unchanged += 1
    staged.new_count = len(staged.new)
    if not errors:
        parent = record_type.parent
        links = (
            {
                model._meta.get_field(parent.field).attname: [  # type: ignore[union-attr]
                    getattr(record, parent.field) for record in staged.new
                ]
            }
            if parent is not None
            else {}
        )
        staged.insert = PreparedInsert(
            model, staged.new, links=links, keep_objects=keep_new, want_ids=True
        )
    if not keep_new:
        staged.new = []
    return errors, staged


def records_import_write(*, actor: User, staged: StagedRecords) -> RecordsWritten:
    """Insert and update what `records_import_stage` staged, in the caller's transaction
    (the import's one short transaction, audited there as one event)."""
    record_type = staged.record_type
    if not can_write(actor, record_type) or _institution_id(actor) != staged.institution_id:
        raise PermissionDenied
    manager = record_type.model._default_manager
    if staged.insert is not None:
        staged.insert.insert()
        created_ids = list(staged.insert.ids)
    else:
        manager.bulk_create(staged.new, batch_size=2000)
        created_ids = [record.pk for record in staged.new]
    if staged.changed:
        now = timezone.now()
        fields = sorted({name for _r, names in staged.changed for name in names})
        for record, _names in staged.changed:
            record.updated_at = now
        manager.bulk_update(
            [record for record, _names in staged.changed],
            [*fields, "updated_at"],
            batch_size=500,
        )
    # Bulk writes send no signal: the stored figures hear of the rows here.
    years = staged.years
    records_changed(None if None in years else years)  # type: ignore[arg-type]
    return RecordsWritten(created_ids=created_ids, updated=len(staged.changed))


def records_import_join(*, parts: Sequence[StagedRecords]) -> StagedRecords:
    """Records staged in parts (in the file's order, e.g. by worker processes) as one,
    for `records_import_write`. A parent object that several parts made (e.g. a line
    the import registers) must already be one object in all of them."""
    if not parts:
        raise ValueError("nothing to join")
    first = parts[0]
    if any(
        part.record_type is not first.record_type or part.institution_id != first.institution_id
        for part in parts
    ):
        raise ValueError("the parts are not of one type and institution")
    joined = StagedRecords(record_type=first.record_type, institution_id=first.institution_id)
    for part in parts:
        joined.new += part.new
        joined.new_count += part.new_count
        joined.changed += part.changed
        joined.unchanged += part.unchanged
        joined.years += part.years
    inserts = [[part.insert] for part in parts if part.insert is not None]
    if len(inserts) == len(parts):
        (joined.insert,) = join_inserts(inserts)
    return joined
