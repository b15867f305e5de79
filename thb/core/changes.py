"""Declared changes of the records the report counts: the one way the stored figures
(thb/reports/cache.py) and the cached years with records (thb/core/years.py) learn
that they are out of date. Nothing is discovered by scanning tables.

- Each app declares the models its measures count, in its AppConfig.ready(), with
  `thb.core.registry.register_report_records(*models)`. Saving or deleting a row of
  such a model through the ORM (a service's `save()`, `delete()`, a related
  manager's `add()`) calls `records_changed()` for every year, inside the writer's
  transaction: the write and the new generation commit or roll back together.
- Writes that send no signals call `records_changed(years)` themselves, inside their
  transaction: `bulk_create`, `bulk_update`, `QuerySet.update()`, raw SQL. An import
  that knows the years of its rows names them; the figures of those years and of
  every later year go out of date, earlier years keep theirs.

The generation is one row (thb.core.models.RecordsGeneration): an UPDATE inside the
writer's transaction, so concurrent writers take their turns on it as they do on the
audit chain's head, and a reader that read generation g before a write committed
stored figures marked g, which the next reader sees as out of date.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F, Model
from django.db.models.signals import m2m_changed, post_delete, post_save

from thb.core.models import RecordsGeneration

ROW = 1


def records_changed(years: Iterable[int] | None = None) -> None:
    """The records the report counts changed: in `years` (the figures of those years
    and every later year are out of date), or in any year (None). Call it inside the
    transaction that writes the records."""
    wanted = None if years is None else {int(year) for year in years}
    if wanted is not None and not wanted:
        return
    # No savepoint: the bump belongs to the writer's transaction, and a savepoint costs
    # two round trips per write.
    with transaction.atomic(savepoint=False):
        if wanted is None:
            bumped = RecordsGeneration.objects.filter(pk=ROW).update(
                generation=F("generation") + 1, all_since=F("generation") + 1, since={}
            )
            if bumped:
                return
        row, _created = RecordsGeneration.objects.select_for_update().get_or_create(pk=ROW)
        row.generation += 1
        if wanted is None:
            row.all_since = row.generation
            row.since = {}
        else:
            first = min(wanted)
            # Entries of later years are older than this one, which covers them.
            kept = {year: g for year, g in row.since.items() if int(year) < first}
            row.since = {**kept, str(first): row.generation}
        row.save(update_fields=["generation", "all_since", "since"])


def current() -> RecordsGeneration:
    """The generation row as it is now (unsaved zeros before the first change)."""
    return RecordsGeneration.objects.filter(pk=ROW).first() or RecordsGeneration(pk=ROW)


def fingerprint(row: RecordsGeneration, year: int) -> int:
    """The generation that the figures of `year` are current at."""
    found = row.all_since
    for since, generation in row.since.items():
        if int(since) <= year:
            found = max(found, int(generation))
    return found


def _changed(sender: type[Model], **kwargs: Any) -> None:
    action = kwargs.get("action")
    if action is not None and not str(action).startswith("post_"):
        return
    records_changed()


def watch(model: type[Model]) -> None:
    """Call records_changed() whenever a row of `model` is saved or deleted, or its
    many-to-many links change (thb.core.registry.register_report_records)."""
    uid = f"thb.core.changes:{model._meta.label_lower}"
    post_save.connect(_changed, sender=model, weak=False, dispatch_uid=f"{uid}:save")
    post_delete.connect(_changed, sender=model, weak=False, dispatch_uid=f"{uid}:delete")
    for field in model._meta.local_many_to_many:
        through = field.remote_field.through
        m2m_changed.connect(
            _changed, sender=through, weak=False, dispatch_uid=f"{uid}:{field.name}"
        )
