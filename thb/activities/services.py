"""Writes to the activity records. One generic service serves every record type of
thb.activities.record_types: it checks the actor may write the type for its own institution,
validates codes against the profile, the type's rules and the model, saves and audits.

Audit details carry the type, the changed field names and codes only: activity records
hold no identities, and the audit log should not start holding any.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
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
        raise PermissionDenied(
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
    _check_parent(actor, record_type, values)
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
        _check_unlocked(record)
        records.append(record)
    record_type.model._default_manager.bulk_create(records)
    # bulk_create sends no signal: the stored figures hear of the rows here.
    years = [record_year(record) for record in records]
    records_changed(None if None in years else years)  # type: ignore[arg-type]
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type=record_type.model._meta.label_lower,
        details={"type": record_type.slug, "bulk": len(records)},
    )
    return len(records)
