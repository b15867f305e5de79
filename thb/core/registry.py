"""The one registry of THB's extension points.

Apps declare what they plug into others in their `AppConfig.ready()`; nothing is
discovered by importing modules by name. The registry holds:

- the report's measures, record years and aggregate-return notes (the selectors that
  compute the catalogue's figures: thb/reports/catalogue.py, docs/report.md), and the
  models they count, whose writes mark the stored figures out of date
  (thb/core/changes.py);
- the bulk-import types (thb/interop/registry.py describes the contract);
- the links, timeline labels and timeline event dates other apps add to a victim's
  case page;
- the sentences the audit log reads its events with (thb/audit/describe.py);
- the demo data loaders, run in the order of INSTALLED_APPS;
- the deadlines other apps add to the deadlines page (e.g. referrals to acknowledge);
- the sections each app adds to the home page's dashboard (thb/core/charts.py);
- the listeners told when persons' identities are written (record linkage keys them),
  and their stagers, which prepare the same for a bulk import's new persons.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.db.models import Model
    from django.utils.functional import _StrPromise

    from thb.profiles.sections.figures import FigureDef

Number = int | float

# compute(year, figures) -> {figure id: value}: one call computes every figure of the
# catalogue that names this measure, so that a measure can answer them all in one
# aggregate query. A figure the measure leaves out counts as 0.
Compute = Callable[[int, Sequence["FigureDef"]], Mapping[str, Number]]
# compute_years(years, figures) -> {year: {figure id: value}}: the same for several
# years at once (optional), for a measure that reads every year in one pass (grouped by
# year) rather than once a year: the report reads the year and the earlier years its
# tables compare with.
ComputeYears = Callable[[Sequence[int], Sequence["FigureDef"]], Mapping[int, Mapping[str, Number]]]
# check(figure) raises ValueError naming the problem when a figure's filters do not
# fit the measure (an unknown filter, a code that is not in the profile's lists).
Check = Callable[["FigureDef"], None]


@dataclass(frozen=True)
class Measure:
    """What a family of figures counts or sums, and the filters that pick the records.

    `records` says in words which records are counted (shown beside each figure in
    the internal edition: "how it was counted"); `filters` names each filter the
    measure understands, with its description."""

    name: str
    records: str | _StrPromise
    compute: Compute
    filters: Mapping[str, str | _StrPromise] = field(default_factory=dict)
    check: Check | None = None
    compute_years: ComputeYears | None = None


# years() -> the years in which the app holds records that the report counts.
RecordYears = Callable[[], set[int]]
# basis(year) -> {figure id: label}: the figures of the year that rest on an aggregate
# return (a total or average an institution reported instead of records), each with
# the label of its basis in the active language ("annual average").
AggregateBasisSource = Callable[[int], Mapping[str, str]]


# case_links(actor=, case=) -> [{"url": ..., "label": ...}]: what an app offers on the
# case page (a plan, a residence track), as the actor may see it.
CaseLinks = Callable[..., list[dict[str, str]]]
# load(ctx) adds an app's demo records through its services (thb/core/demo.py).
DemoLoader = Callable[[Any], None]


@dataclass(frozen=True)
class DeadlineItem:
    """One deadline an app shows on the deadlines page: what is due (a reference, never
    a name), where to act on it, since when and by when, and what sets the term."""

    what: str
    reference: str
    url: str
    started_on: date
    due_on: date
    basis: str = ""


# deadlines(actor=, today=, horizon=) -> the open deadlines the actor answers for that
# fall due by `horizon` (overdue ones included), as that actor may see them.
DeadlineSource = Callable[..., list[DeadlineItem]]


# dashboard(actor=, today=) -> the sections an app shows on the actor's home page
# (thb.core.charts.Section), empty where its policies give the actor none; each reads
# its figures through the app's selectors, in a number of queries that does not grow
# with the records.
DashboardSource = Callable[..., list[Any]]


# listener(person_ids, identities): the identities of these persons were written (in
# the writer's transaction; identities are thb.victims.services.Identity values).
IdentityListener = Callable[[Sequence[int], Sequence[Any]], None]

# stager(institution_id, persons, identities) -> prepared inserts: what a listener
# writes, for the new persons of a bulk import (each person new, its only case the
# institution's), prepared without database access (a worker process staging a part
# of the file calls it) as thb.core.bulk.PreparedInsert rows linked to `persons` (the
# persons' prepared insert, one identity a row) with ParentRows; the import writes
# them after the persons, in its one transaction. An app that registers a listener
# registers its stager too: the bulk import tells only the stagers.
IdentityStager = Callable[[int, Any, Sequence[Any]], list[Any]]


@dataclass
class Registry:
    measures: dict[str, Measure] = field(default_factory=dict)
    record_years: list[RecordYears] = field(default_factory=list)
    import_types: dict[str, Any] = field(default_factory=dict)
    case_links: list[CaseLinks] = field(default_factory=list)
    event_labels: dict[str, Any] = field(default_factory=dict)
    event_dates: dict[str, str] = field(default_factory=dict)
    audit_events: dict[str, Any] = field(default_factory=dict)
    demos: list[tuple[str, DemoLoader]] = field(default_factory=list)
    aggregate_bases: list[AggregateBasisSource] = field(default_factory=list)
    deadline_sources: list[DeadlineSource] = field(default_factory=list)
    report_models: list[type[Model]] = field(default_factory=list)
    dashboards: list[DashboardSource] = field(default_factory=list)
    identity_listeners: list[IdentityListener] = field(default_factory=list)
    identity_stagers: list[IdentityStager] = field(default_factory=list)

    def register_measure(self, measure: Measure) -> None:
        if measure.name in self.measures:
            raise RuntimeError(f"measure {measure.name!r} is registered twice")
        self.measures[measure.name] = measure

    def measure(self, name: str) -> Measure:
        try:
            return self.measures[name]
        except KeyError:
            known = ", ".join(sorted(self.measures)) or "none"
            raise KeyError(f"no measure {name!r} is registered (known: {known})") from None


registry = Registry()


def register_measure(
    name: str,
    *,
    records: Any,
    compute: Compute,
    filters: Mapping[str, Any] | None = None,
    check: Check | None = None,
    compute_years: ComputeYears | None = None,
) -> None:
    """Declare a measure (call from the owning app's AppConfig.ready())."""
    registry.register_measure(
        Measure(
            name=name,
            records=records,
            compute=compute,
            filters=filters or {},
            check=check,
            compute_years=compute_years,
        )
    )


def register_record_years(years: RecordYears) -> None:
    """Declare which years an app has records in (statistics pages open on the latest
    such year; earlier-year columns show only such years)."""
    registry.record_years.append(years)


def register_report_records(*models: type[Model]) -> None:
    """Declare the models whose rows an app's measures (or record years) count: saving
    or deleting such a row marks the stored figures out of date (thb/core/changes.py;
    writes that send no signal, such as bulk_create, call records_changed themselves)."""
    from thb.core.changes import watch

    for model in models:
        if model not in registry.report_models:
            registry.report_models.append(model)
            watch(model)


def register_aggregate_basis(source: AggregateBasisSource) -> None:
    """Declare which figures of a year rest on aggregate returns (so the report can
    mark them "on average", "about")."""
    registry.aggregate_bases.append(source)


def aggregate_basis(year: int) -> dict[str, str]:
    """{figure id: basis label} of every figure of the year that rests on an aggregate
    return, from every app that declared some."""
    found: dict[str, str] = {}
    for source in registry.aggregate_bases:
        found.update(source(year))
    return found


def register_case_links(
    links: CaseLinks,
    *,
    event_labels: Mapping[str, Any],
    event_dates: Mapping[str, str] | None = None,
) -> None:
    """Declare the links an app offers on the case page, the labels of the timeline
    events it writes (event kind -> lazy label) and, for the kinds that record when
    the thing happened, the key of that date in the event's data (event kind -> key:
    the timeline is ordered by it; without one, by the time the event was entered)."""
    registry.case_links.append(links)
    registry.event_labels.update(event_labels)
    registry.event_dates.update(event_dates or {})


def register_audit_events(sentences: Mapping[str, Any]) -> None:
    """Declare how the audit log words an app's events: `"<object type> <action>"` or
    `"<object type> <action> <step>"` -> lazy sentence (thb/audit/describe.py)."""
    registry.audit_events.update(sentences)


def register_demo(app: str, load: DemoLoader) -> None:
    """Declare an app's demo loader; `thb demo` runs them in the order declared (the
    order of INSTALLED_APPS, whose ready() methods declare them)."""
    if any(name == app for name, _load in registry.demos):
        raise RuntimeError(f"demo of {app!r} is registered twice")
    registry.demos.append((app, load))


def register_deadlines(source: DeadlineSource) -> None:
    """Declare the deadlines an app adds to the deadlines page."""
    registry.deadline_sources.append(source)


def deadline_items(*, actor: Any, today: date, horizon: date) -> list[DeadlineItem]:
    """Every registered app's open deadlines for the actor, due by `horizon`, soonest first."""
    items: list[DeadlineItem] = []
    for source in registry.deadline_sources:
        items.extend(source(actor=actor, today=today, horizon=horizon))
    return sorted(items, key=lambda item: (item.due_on, item.reference))


def register_dashboard(source: DashboardSource) -> None:
    """Declare the sections an app adds to the home page's dashboard."""
    registry.dashboards.append(source)


def dashboard_sections(*, actor: Any, today: date) -> list[Any]:
    """Every app's dashboard sections for the actor, in the order the apps declared them."""
    sections: list[Any] = []
    for source in registry.dashboards:
        sections.extend(source(actor=actor, today=today))
    return sections


def register_identity_listener(listener: IdentityListener) -> None:
    registry.identity_listeners.append(listener)


def identities_written(person_ids: Sequence[int], identities: Sequence[Any]) -> None:
    """Tell the listeners that these persons' identities were written."""
    for listener in registry.identity_listeners:
        listener(person_ids, identities)


def register_identity_stager(stager: IdentityStager) -> None:
    registry.identity_stagers.append(stager)


def identities_staged(institution_id: int, persons: Any, identities: Sequence[Any]) -> list[Any]:
    """The stagers' prepared inserts for a bulk import's new persons (see
    IdentityStager), in the order the apps registered them."""
    inserts: list[Any] = []
    for stager in registry.identity_stagers:
        inserts.extend(stager(institution_id, persons, identities))
    return inserts
