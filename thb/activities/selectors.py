"""Reads of the activity records, scoped to the acting user, and the report figures.

A reporter sees its own institution's records; the coordinator sees every
institution's (activity records hold no victim identities). Everyone else sees none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.http import Http404

from thb.accounts.models import Institution, User
from thb.activities.models import (
    ActivityRecord,
    TrainingParticipation,
)
from thb.activities.policy import own_records, record_scope, sees_all
from thb.activities.record_types import TYPES, RecordType
from thb.core.aggregates import aggregate_years
from thb.profiles import get_profile


def _scoped(actor: User, record_type: RecordType) -> QuerySet[Any]:
    manager = record_type.model._default_manager
    scope = record_scope(actor)
    return manager.none() if scope is None else manager.filter(scope)


def record_list(
    *,
    actor: User,
    record_type: RecordType,
    year: int | None = None,
    institution: str = "",
) -> QuerySet[Any]:
    records = _scoped(actor, record_type).select_related("institution")
    if year is not None and record_type.year_q is not None:
        records = records.filter(record_type.year_q(year))
    if institution:
        records = records.filter(institution__code=institution)
    if record_type.parent is not None:
        records = records.select_related(record_type.parent.field)
    return records


def record_order(record_type: RecordType) -> tuple[str, ...]:
    """The order of a record type's lists: its model's ordering with the id as the
    tiebreaker (keyset paging, thb/core/paging.py)."""
    ordering = [str(name) for name in record_type.model._meta.ordering or []]
    return (*[name for name in ordering if name.lstrip("-") not in ("id", "pk")], "id")


def record_get_for_user(*, actor: User, record_type: RecordType, pk: int) -> ActivityRecord:
    """The record if the actor may see it; 404 otherwise (its existence is not told)."""
    try:
        return _scoped(actor, record_type).get(pk=pk)
    except record_type.model.DoesNotExist:
        raise Http404 from None


def parent_choices(*, actor: User, record_type: RecordType) -> QuerySet[Any]:
    """The parents a new child record may hang under: the actor's institution's own."""
    assert record_type.parent is not None
    parent_type = TYPES[record_type.parent.slug]
    return parent_type.model._default_manager.filter(own_records(actor))


def institutions_visible(actor: User) -> QuerySet[Institution]:
    if sees_all(actor):
        return Institution.objects.filter(active=True)
    if actor.institution_id is None:
        return Institution.objects.none()
    return Institution.objects.filter(pk=actor.institution_id)


def year_overview(*, actor: User, year: int, institution: str = "") -> list[dict[str, Any]]:
    """Per record type, how many records the institution(s) in scope have for the year."""
    rows = []
    for record_type in TYPES.values():
        records = record_list(
            actor=actor, record_type=record_type, year=year, institution=institution
        )
        rows.append({"type": record_type, "count": records.count()})
    return rows


def detection_summary(*, actor: User, year: int, institution: str = "") -> list[dict[str, Any]]:
    """Detection by institution and kind: records summed, aggregate returns marked."""
    records = record_list(
        actor=actor, record_type=TYPES["detection"], year=year, institution=institution
    )
    out: list[dict[str, Any]] = []
    # The institution's names: shown in the page's language (`localized`).
    grouped = records.values(
        "institution__code", "institution__name", "institution__names", "kind"
    ).annotate(total=Sum("count"), thb=Sum("count", filter=Q(thb_related=True)))
    for row in grouped.order_by("institution__name", "kind"):
        out.append({**row, "aggregate": False, "basis": ""})
    aggregates = record_list(
        actor=actor, record_type=TYPES["detection-aggregate"], year=year, institution=institution
    )
    for agg in aggregates.order_by("institution__name", "kind"):
        out.append(
            {
                "institution__code": agg.institution.code,
                "institution__name": agg.institution.name,
                "institution__names": agg.institution.names,
                "kind": agg.kind,
                "total": agg.value,
                "thb": agg.thb_related_value,
                "aggregate": True,
                "basis": agg.get_basis_display(),
            }
        )
    return out


# Figures of the annual report. Not scoped: they are statistics, and `thb report` has
# no acting user; the pages that show them check the role first. They are computed by
# the activities measures of the figure catalogue (thb/activities/figures.py).


def training_public_employees(year: int) -> int:
    """State and municipal employees in the year's itemised training records."""
    return training_public_employees_of([year])[year]


def training_public_employees_of(years: Sequence[int]) -> dict[int, int]:
    """training_public_employees of several years: {year: employees}, one grouped query."""
    sectors = get_profile().activities.participant_groups
    groups = [g.code for g in sectors if g.sector in ("state", "municipal")]
    lines = TrainingParticipation.objects.filter(participant_group__in=groups)
    found = aggregate_years(lines, "event__start_date", years, {"n": Sum("count")})
    return {year: int(values["n"] or 0) for year, values in found.items()}


@dataclass
class FigureValue:
    value: int | float
    aggregate: bool = False
    # The label of the aggregate return's basis ("annual average"), in the active
    # language, and its code (AggregateBasis: "annual_average").
    basis: str = ""
    source: str = ""
    basis_code: str = ""


def activity_figures(year: int) -> dict[str, FigureValue]:
    """Every activities figure of the catalogue for the year, those resting on an
    aggregate return marked (the activity statistics page and the API read this until
    the page becomes a view of the report builder)."""
    from thb.activities.figures import MEASURE_PREFIX, aggregate_returns
    from thb.reports.catalogue import catalogue, compute_figures

    ids = [f.id for f in catalogue().values() if f.measure.startswith(MEASURE_PREFIX)]
    returns = aggregate_returns(year)
    out = {}
    for figure_id, value in compute_figures(year, ids).items():
        found = returns.get(figure_id)
        out[figure_id] = (
            FigureValue(value, True, found.label, found.source, found.basis)
            if found is not None
            else FigureValue(value)
        )
    return out
