"""Reads of the activity records, scoped to the acting user, and the report figures.

A reporter sees its own institution's records; the coordinator sees every
institution's (activity records hold no victim identities). Everyone else sees none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.http import Http404

from thb.accounts.models import Institution, User
from thb.activities.models import (
    ActivityRecord,
    CampaignMaterial,
    Contribution,
    DetectionAggregate,
    DetectionRecord,
    HelplineAggregate,
    HelplineContact,
    ProjectEvent,
    ReachFigure,
    TrainingParticipation,
    TrainingTotal,
)
from thb.activities.policy import own_records, record_scope, sees_all
from thb.activities.record_types import TYPES, RecordType
from thb.profiles import get_profile
from thb.profiles.sections.activities import FigureSpec


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
    grouped = records.values("institution__code", "institution__name", "kind").annotate(
        total=Sum("count"), thb=Sum("count", filter=Q(thb_related=True))
    )
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
                "kind": agg.kind,
                "total": agg.value,
                "thb": agg.thb_related_value,
                "aggregate": True,
                "basis": agg.get_basis_display(),
            }
        )
    return out


# Figures of the annual report. Not scoped: they are statistics, and `thb report` has
# no acting user; the pages that show them check the role first.


@dataclass
class FigureValue:
    value: int | float
    aggregate: bool = False
    basis: str = ""
    source: str = ""


def _institution_q(spec: FigureSpec, prefix: str = "") -> Q:
    q = Q()
    if spec.institutions:
        q &= Q(**{f"{prefix}institution__code__in": spec.institutions})
    if spec.institution_kinds:
        q &= Q(**{f"{prefix}institution__kind__in": spec.institution_kinds})
    return q


def _detection(spec: FigureSpec, year: int) -> FigureValue:
    records = DetectionRecord.objects.filter(_institution_q(spec), date__year=year)
    if spec.kind:
        records = records.filter(kind=spec.kind)
    if spec.place_type:
        records = records.filter(place_type=spec.place_type)
    if spec.legal_bases:
        records = records.filter(legal_basis__in=spec.legal_bases)
    if spec.thb_related is not None:
        records = records.filter(thb_related=spec.thb_related)
    total = records.aggregate(n=Sum("count"))["n"] or 0
    # Aggregate returns carry no place type or legal basis, so they answer only
    # figures that do not ask for one.
    if spec.place_type or spec.legal_bases:
        return FigureValue(total)
    aggregates = DetectionAggregate.objects.filter(_institution_q(spec), year=year)
    if spec.kind:
        aggregates = aggregates.filter(kind=spec.kind)
    result = FigureValue(total)
    for agg in aggregates:
        if spec.thb_related:
            result.value += agg.thb_related_value or 0
        else:
            result.value += agg.value
        result.aggregate = True
        result.basis = agg.basis
        result.source = agg.source
    return result


def _helpline(spec: FigureSpec, year: int) -> FigureValue:
    contacts = HelplineContact.objects.filter(received_at__year=year)
    aggregates = HelplineAggregate.objects.filter(period_start__year=year)
    if spec.helpline:
        contacts = contacts.filter(helpline__code=spec.helpline)
        aggregates = aggregates.filter(helpline__code=spec.helpline)
    if spec.channel:
        contacts = contacts.filter(channel=spec.channel)
        aggregates = aggregates.filter(channel=spec.channel)
    if spec.thb_related is not None:
        contacts = contacts.filter(thb_related=spec.thb_related)
    result = FigureValue(contacts.count())
    for agg in aggregates:
        result.value += agg.thb_related if spec.thb_related else agg.contacts
        result.aggregate = True
        result.basis = "total"
        result.source = agg.source
    return result


def _participations(spec: FigureSpec, year: int) -> QuerySet[TrainingParticipation]:
    lines = TrainingParticipation.objects.filter(
        _institution_q(spec, "event__"), event__start_date__year=year
    )
    if spec.own_event is not None:
        lines = lines.filter(event__own_event=spec.own_event)
    if spec.event_type:
        lines = lines.filter(event__event_type=spec.event_type)
    if spec.participant_group:
        lines = lines.filter(participant_group=spec.participant_group)
    if spec.profession:
        lines = lines.filter(profession=spec.profession)
    return lines


def training_public_employees(year: int) -> int:
    """State and municipal employees in the year's itemised training records."""
    sectors = get_profile().activities.participant_groups
    groups = [g.code for g in sectors if g.sector in ("state", "municipal")]
    lines = TrainingParticipation.objects.filter(
        event__start_date__year=year, participant_group__in=groups
    )
    return lines.aggregate(n=Sum("count"))["n"] or 0


def _training(spec: FigureSpec, year: int) -> FigureValue:
    from thb.activities.models import TrainingEvent

    if spec.measure == "training_headline":
        total = TrainingTotal.objects.filter(year=year).first()
        if total is not None:
            return FigureValue(total.participants, True, "total", total.source)
        return FigureValue(training_public_employees(year))
    if spec.measure == "training_sessions":
        events = TrainingEvent.objects.filter(_institution_q(spec), start_date__year=year)
        if spec.own_event is not None:
            events = events.filter(own_event=spec.own_event)
        if spec.event_type:
            events = events.filter(event_type=spec.event_type)
        return FigureValue(events.aggregate(n=Sum("sessions"))["n"] or 0)
    return FigureValue(_participations(spec, year).aggregate(n=Sum("count"))["n"] or 0)


def _awareness(spec: FigureSpec, year: int) -> FigureValue:
    if spec.measure == "reach":
        reach = ReachFigure.objects.filter(_institution_q(spec), year=year)
        if spec.kind:
            reach = reach.filter(channel=spec.kind)
        if spec.metric:
            reach = reach.filter(metric=spec.metric)
        return FigureValue(reach.aggregate(n=Sum("value"))["n"] or 0)
    materials = CampaignMaterial.objects.filter(
        _institution_q(spec), campaign__start_date__year=year
    )
    if spec.kind:
        materials = materials.filter(kind=spec.kind)
    return FigureValue(materials.count())


def _international(spec: FigureSpec, year: int) -> FigureValue:
    if spec.measure == "contributions_eur":
        paid = Contribution.objects.filter(_institution_q(spec), year=year)
        if spec.recipient:
            paid = paid.filter(recipient=spec.recipient)
        amount = paid.aggregate(n=Sum("amount_eur"))["n"] or 0
        return FigureValue(int(amount) if amount == int(amount) else float(amount))
    events = ProjectEvent.objects.filter(_institution_q(spec), date__year=year)
    if spec.project:
        events = events.filter(project__code=spec.project)
    if spec.project_event:
        events = events.filter(code=spec.project_event)
    column = "participants" if spec.measure == "project_event_participants" else "video_views"
    return FigureValue(events.aggregate(n=Sum(column))["n"] or 0)


def figure_value(spec: FigureSpec, year: int) -> FigureValue:
    year = year + spec.year_offset
    if spec.measure == "detection":
        return _detection(spec, year)
    if spec.measure.startswith("helpline"):
        return _helpline(spec, year)
    if spec.measure.startswith("training"):
        return _training(spec, year)
    if spec.measure in ("reach", "campaign_materials"):
        return _awareness(spec, year)
    return _international(spec, year)


def activity_figures(year: int) -> dict[str, FigureValue]:
    return {spec.id: figure_value(spec, year) for spec in get_profile().activities.figures}
