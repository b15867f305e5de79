"""Model helpers shared by the domain apps."""

from __future__ import annotations

from django.db import models


def external_id_unique(scope: str, name: str) -> models.UniqueConstraint:
    """An external id (the institution's own id of an imported record) is unique within
    its scope (the institution or the proceeding) where it is given; blank ids repeat."""
    return models.UniqueConstraint(
        fields=[scope, "external_id"], condition=~models.Q(external_id=""), name=name
    )


class RecordsGeneration(models.Model):
    """How often the records the report counts have changed: one row (pk 1), written
    only by thb.core.changes.records_changed, read by the figures store
    (thb/reports/cache.py) and the record-years cache (thb/core/years.py).

    `generation` counts every change. A change of every year sets `all_since` to the
    new generation; a change from a year on (a bulk import of the year's records)
    notes the generation under that year in `since` ({"2020": 41}). The figures of a
    year Y are current while they were computed at `changes.fingerprint(Y)`, the
    newest generation among `all_since` and the `since` entries of years up to Y
    (a year's figures count records of that year and earlier ones, never later)."""

    generation = models.PositiveBigIntegerField(default=0)
    all_since = models.PositiveBigIntegerField(default=0)
    since = models.JSONField(default=dict, blank=True)
    # The years with records (thb/core/years.py), as found at generation `years_at`.
    years = models.JSONField(default=list, blank=True)
    years_at = models.BigIntegerField(default=-1)

    class Meta:
        verbose_name = "records generation"

    def __str__(self) -> str:
        return f"generation {self.generation}"
