"""The activities measures of the report's figure catalogue
(profiles/<cc>/figures-activities.yaml): detection, helplines, training, awareness and
international cooperation.

Each measure answers all the figures that name it with one aggregate query (two where
aggregate returns add to the records): every figure is a filtered SUM or COUNT of it.
The filters are checked against the profile's activities code lists
(ActivitiesSection.check_figure_filters).

Some institutions report a total or an average instead of records (aggregate returns:
DetectionAggregate, HelplineAggregate, TrainingTotal). A figure that rests on one is
marked: `aggregate_basis(year)` gives, for each such figure, the label of its basis
("annual average", "approximate figure", "total for the period") in the active language.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from thb.activities.models import (
    AggregateBasis,
    Campaign,
    CampaignMaterial,
    Contribution,
    DetectionAggregate,
    DetectionRecord,
    HelplineAggregate,
    HelplineContact,
    ProjectEvent,
    ReachFigure,
    TrainingEvent,
    TrainingParticipation,
    TrainingTotal,
)
from thb.activities.selectors import training_public_employees_of
from thb.core.aggregates import aggregate_each, aggregate_years, number
from thb.core.registry import (
    Number,
    register_aggregate_basis,
    register_measure,
    register_record_years,
    register_report_records,
)
from thb.profiles import get_profile
from thb.profiles.sections.figures import FigureDef

MEASURE_PREFIX = "activities."
# Each measure answers several years in one pass: {year: {figure id: value}}.
Years = Sequence[int]
YearsValues = dict[int, dict[str, Number]]


def _numbers(found: Mapping[int, Mapping[str, Any]]) -> YearsValues:
    return {
        year: {key: number(value) for key, value in values.items()}
        for year, values in found.items()
    }


def _institution_q(figure: FigureDef, prefix: str = "") -> Q:
    q = Q()
    institutions = figure.filter("institutions")
    if institutions:
        q &= Q(**{f"{prefix}institution__code__in": institutions})
    kinds = figure.filter("institution_kinds")
    if kinds:
        q &= Q(**{f"{prefix}institution__kind__in": kinds})
    return q


def _equal_q(figure: FigureDef, filters: Mapping[str, str]) -> Q:
    """Q of the figure's filters that select one value of a field ({filter: field})."""
    q = Q()
    for name, field in filters.items():
        value = figure.filter(name)
        if value is not None:
            q &= Q(**{field: value})
    return q


# Detection -----------------------------------------------------------------------------


def _detection_record_q(figure: FigureDef) -> Q:
    q = _institution_q(figure) & _equal_q(
        figure, {"kind": "kind", "place_type": "place_type", "thb_related": "thb_related"}
    )
    if figure.filter("legal_bases"):
        q &= Q(legal_basis__in=figure.filter("legal_bases"))
    return q


def _answers_from_aggregates(figure: FigureDef) -> bool:
    # Aggregate returns carry no place type or legal basis, so they answer only
    # figures that do not ask for one.
    return not (figure.filter("place_type") or figure.filter("legal_bases"))


def _detection_aggregate_q(figure: FigureDef) -> Q:
    return _institution_q(figure) & _equal_q(figure, {"kind": "kind"})


def _detection(years: Years, figures: Sequence[FigureDef]) -> YearsValues:
    """activities.detection: the detection records' counts in the year, plus the
    institutions' aggregate returns for the year (their trafficking-related part where
    the figure asks for thb_related)."""
    records = aggregate_years(
        DetectionRecord.objects.all(),
        "date",
        years,
        {f.id: Sum("count", filter=_detection_record_q(f)) for f in figures},
    )
    returns = aggregate_years(
        DetectionAggregate.objects.all(),
        "year",
        years,
        {
            f.id: Sum(
                "thb_related_value" if f.filter("thb_related") else "value",
                filter=_detection_aggregate_q(f),
            )
            for f in figures
            if _answers_from_aggregates(f)
        },
        year_field=True,
    )
    return {
        year: {f.id: number(records[year][f.id]) + number(returns[year].get(f.id)) for f in figures}
        for year in years
    }


# Helplines -----------------------------------------------------------------------------

_HELPLINE_FIELDS = {"helpline": "helpline__code", "channel": "channel"}


def _helpline_contacts(years: Years, figures: Sequence[FigureDef]) -> YearsValues:
    """activities.helpline_contacts: contacts received in the year, plus the lines'
    aggregate returns for periods starting in the year."""
    contacts = aggregate_years(
        HelplineContact.objects.all(),
        "received_at",
        years,
        {
            f.id: Count(
                "id", filter=_equal_q(f, {**_HELPLINE_FIELDS, "thb_related": "thb_related"})
            )
            for f in figures
        },
    )
    returns = aggregate_years(
        HelplineAggregate.objects.all(),
        "period_start",
        years,
        {
            f.id: Sum(
                "thb_related" if f.filter("thb_related") else "contacts",
                filter=_equal_q(f, _HELPLINE_FIELDS),
            )
            for f in figures
        },
    )
    return {
        year: {f.id: number(contacts[year][f.id]) + number(returns[year][f.id]) for f in figures}
        for year in years
    }


# Training ------------------------------------------------------------------------------

_EVENT_FIELDS = {"own_event": "own_event", "event_type": "event_type"}


def _training_headline(years: Years, figures: Sequence[FigureDef]) -> YearsValues:
    """activities.training_headline: the year's training total (an aggregate return)
    where there is one, otherwise the state and municipal employees of the year's
    itemised training records."""
    totals = dict(
        TrainingTotal.objects.filter(year__in=list(years)).values_list("year", "participants")
    )
    itemised = training_public_employees_of([year for year in years if year not in totals])
    return {
        year: {f.id: totals[year] if year in totals else itemised[year] for f in figures}
        for year in years
    }


def _training_sessions(years: Years, figures: Sequence[FigureDef]) -> YearsValues:
    """activities.training_sessions: sessions of the training events starting in the year."""
    found = aggregate_years(
        TrainingEvent.objects.all(),
        "start_date",
        years,
        {
            f.id: Sum("sessions", filter=_institution_q(f) & _equal_q(f, _EVENT_FIELDS))
            for f in figures
        },
    )
    return _numbers(found)


def _training_participants(years: Years, figures: Sequence[FigureDef]) -> YearsValues:
    """activities.training_participants: participants of the training events starting
    in the year."""
    fields = {
        **{name: f"event__{field}" for name, field in _EVENT_FIELDS.items()},
        "participant_group": "participant_group",
        "profession": "profession",
    }
    found = aggregate_years(
        TrainingParticipation.objects.all(),
        "event__start_date",
        years,
        {
            f.id: Sum("count", filter=_institution_q(f, "event__") & _equal_q(f, fields))
            for f in figures
        },
    )
    return _numbers(found)


# Awareness and international cooperation -----------------------------------------------


def _reach(years: Years, figures: Sequence[FigureDef]) -> YearsValues:
    """activities.reach: the year's reach of a channel (website visits, unique views)."""
    fields = {"kind": "channel", "metric": "metric"}
    found = aggregate_years(
        ReachFigure.objects.all(),
        "year",
        years,
        {f.id: Sum("value", filter=_institution_q(f) & _equal_q(f, fields)) for f in figures},
        year_field=True,
    )
    return _numbers(found)


def _campaign_materials(years: Years, figures: Sequence[FigureDef]) -> YearsValues:
    """activities.campaign_materials: materials of the campaigns started in the year."""
    found = aggregate_years(
        CampaignMaterial.objects.all(),
        "campaign__start_date",
        years,
        {
            f.id: Count("id", filter=_institution_q(f) & _equal_q(f, {"kind": "kind"}))
            for f in figures
        },
    )
    return _numbers(found)


RECIPIENT = {"recipient": "recipient"}


def _contributions(years: Years, figures: Sequence[FigureDef]) -> YearsValues:
    """activities.contributions: contributions paid for the year (EUR)."""
    found = aggregate_years(
        Contribution.objects.all(),
        "year",
        years,
        {
            f.id: Sum(
                "amount_eur", filter=_institution_q(f) & _equal_q(f, {"recipient": "recipient"})
            )
            for f in figures
        },
        year_field=True,
    )
    return _numbers(found)


def _project_events(column: str) -> Callable[[Years, Sequence[FigureDef]], YearsValues]:
    fields = {"project": "project__code", "project_event": "code"}

    def compute(years: Years, figures: Sequence[FigureDef]) -> YearsValues:
        found = aggregate_years(
            ProjectEvent.objects.all(),
            "date",
            years,
            {f.id: Sum(column, filter=_institution_q(f) & _equal_q(f, fields)) for f in figures},
        )
        return _numbers(found)

    return compute


# Aggregate returns ---------------------------------------------------------------------


@dataclass(frozen=True)
class AggregateReturn:
    """The aggregate return a figure rests on (in part): its basis code (AggregateBasis)
    and the institution's own wording."""

    basis: str
    source: str

    @property
    def label(self) -> str:
        return str(AggregateBasis(self.basis).label)


def aggregate_returns(year: int) -> dict[str, AggregateReturn]:
    """The activities figures of the year's report that rest on aggregate returns."""
    from thb.reports.catalogue import catalogue

    by_year: dict[int, dict[str, list[FigureDef]]] = defaultdict(lambda: defaultdict(list))
    for figure in catalogue().values():
        if figure.measure.startswith(MEASURE_PREFIX):
            by_year[year + figure.year_offset][figure.measure].append(figure)
    out: dict[str, AggregateReturn] = {}
    for counted_year, measures in by_year.items():
        out.update(_detection_returns(counted_year, measures["activities.detection"]))
        out.update(_helpline_returns(counted_year, measures["activities.helpline_contacts"]))
        total = TrainingTotal.objects.filter(year=counted_year).first()
        if total is not None:
            for figure in measures["activities.training_headline"]:
                out[figure.id] = AggregateReturn(AggregateBasis.TOTAL, total.source)
    return out


def _detection_returns(year: int, figures: Sequence[FigureDef]) -> dict[str, AggregateReturn]:
    wanted = [f for f in figures if _answers_from_aggregates(f)]
    expressions: dict[str, Any] = {}
    for f in wanted:
        expressions[f"{f.id}|basis"] = Max("basis", filter=_detection_aggregate_q(f))
        expressions[f"{f.id}|source"] = Max("source", filter=_detection_aggregate_q(f))
    found = aggregate_each(DetectionAggregate.objects.filter(year=year), expressions)
    return {
        f.id: AggregateReturn(found[f"{f.id}|basis"], found[f"{f.id}|source"] or "")
        for f in wanted
        if found[f"{f.id}|basis"]
    }


def _helpline_returns(year: int, figures: Sequence[FigureDef]) -> dict[str, AggregateReturn]:
    expressions: dict[str, Any] = {}
    for f in figures:
        q = _equal_q(f, _HELPLINE_FIELDS)
        expressions[f"{f.id}|count"] = Count("id", filter=q)
        expressions[f"{f.id}|source"] = Max("source", filter=q)
    found = aggregate_each(HelplineAggregate.objects.filter(period_start__year=year), expressions)
    return {
        f.id: AggregateReturn(AggregateBasis.TOTAL, found[f"{f.id}|source"] or "")
        for f in figures
        if found[f"{f.id}|count"]
    }


def aggregate_basis(year: int) -> dict[str, str]:
    """{figure id: label of its basis} for the figures of the year's report that rest on
    an aggregate return, so the report can mark them ("annual average", "approximate
    figure"); labels in the active language."""
    return {figure_id: found.label for figure_id, found in aggregate_returns(year).items()}


# Registration --------------------------------------------------------------------------


def record_years() -> set[int]:
    """The years in which the institutions have activity records or aggregate returns."""
    dated: list[tuple[QuerySet[Any], str]] = [
        (DetectionRecord.objects.all(), "date"),
        (HelplineContact.objects.all(), "received_at"),
        (HelplineAggregate.objects.all(), "period_start"),
        (TrainingEvent.objects.all(), "start_date"),
        (Campaign.objects.all(), "start_date"),
        (ProjectEvent.objects.all(), "date"),
    ]
    years: set[int] = set()
    for queryset, field in dated:
        years.update(queryset.annotate(y=ExtractYear(field)).values_list("y", flat=True).distinct())
    for model in (DetectionAggregate, TrainingTotal, ReachFigure, Contribution):
        years.update(model._default_manager.values_list("year", flat=True).distinct())
    return years


INSTITUTION_FILTERS = {
    "institutions": _("institutions: the reporting institutions (codes)"),
    "institution_kinds": _("institution kinds: the kinds of reporting institution"),
}


def _checker(measure: str) -> Callable[[FigureDef], None]:
    def check(figure: FigureDef) -> None:
        get_profile().activities.check_figure_filters(measure, figure.filters)

    return check


def _register(
    name: str,
    records: Any,
    compute: Callable[[Years, Sequence[FigureDef]], YearsValues],
    filters: Mapping[str, Any],
) -> None:
    def one(year: int, figures: Sequence[FigureDef]) -> Mapping[str, Number]:
        return compute([year], figures)[year]

    register_measure(
        f"{MEASURE_PREFIX}{name}",
        records=records,
        compute=one,
        compute_years=compute,
        filters=filters,
        check=_checker(name),
    )


def register() -> None:
    _register(
        "detection",
        _(
            "detection records of the year (their numbers summed) and the institutions' "
            "aggregate returns for the year"
        ),
        _detection,
        {
            **INSTITUTION_FILTERS,
            "kind": _("kind: the kind of detection activity"),
            "place_type": _("place type: where the activity took place"),
            "legal_bases": _("legal bases: the provisions cited"),
            "thb_related": _("related to trafficking"),
        },
    )
    _register(
        "helpline_contacts",
        _("helpline contacts received in the year and the lines' aggregate returns"),
        _helpline_contacts,
        {
            "helpline": _("helpline"),
            "channel": _("channel: call, e-mail, chat, text message"),
            "thb_related": _("related to trafficking"),
        },
    )
    event_filters = {
        **INSTITUTION_FILTERS,
        "own_event": _("the institution's own training events"),
        "event_type": _("event type"),
    }
    _register(
        "training_headline",
        _(
            "state and municipal employees trained in the year: the year's training total "
            "(aggregate return) where there is one, otherwise the itemised training records"
        ),
        _training_headline,
        {},
    )
    _register(
        "training_sessions",
        _("sessions of the training events starting in the year"),
        _training_sessions,
        event_filters,
    )
    _register(
        "training_participants",
        _("participants of the training events starting in the year"),
        _training_participants,
        {
            **event_filters,
            "participant_group": _("participants' institution group"),
            "profession": _("participants' profession"),
        },
    )
    _register(
        "reach",
        _("the year's reach figures of the awareness channels"),
        _reach,
        {
            **INSTITUTION_FILTERS,
            "kind": _("channel: website, social network"),
            "metric": _("metric: visits, unique views, followers"),
        },
    )
    _register(
        "campaign_materials",
        _("materials of the awareness campaigns started in the year"),
        _campaign_materials,
        {**INSTITUTION_FILTERS, "kind": _("kind of material")},
    )
    _register(
        "contributions",
        _("contributions paid to international bodies for the year (EUR)"),
        _contributions,
        {**INSTITUTION_FILTERS, "recipient": _("recipient: the international body")},
    )
    project_filters = {
        **INSTITUTION_FILTERS,
        "project": _("international project"),
        "project_event": _("event of the project"),
    }
    _register(
        "project_event_participants",
        _("participants in person of the international projects' events in the year"),
        _project_events("participants"),
        project_filters,
    )
    _register(
        "project_event_views",
        _("video views of the international projects' events in the year"),
        _project_events("video_views"),
        project_filters,
    )
    register_record_years(record_years)
    # Every model of the app: a write of any of them may change a figure.
    register_report_records(*apps.get_app_config("activities").get_models())
    register_aggregate_basis(aggregate_basis)
