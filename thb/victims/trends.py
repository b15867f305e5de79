"""The report's "trends and risk groups" figures (profiles/<cc>/figures-trends.yaml):
victims by vulnerability factor, by recruitment platform, by visa or posting route and by
transit country.

victims.trends counts cases (one case a person in the statistics) with an identification
decision in the year, like victims.cases, selected by what the case records of the
person's vulnerability and of how the exploitation worked. The figures asked for are
computed in at most three queries (`_trends_years`): the decided cases grouped by the
decision's year, one conditional count per figure (COUNT(*) FILTER (WHERE ...)), the
factor and transit figures over the cases joined to those rows, so no record is read
into Python.

Filters (a code filter takes one code or a list: any of them):
  status       recognised (default) | assessed (either decision)
  factor       vulnerability factor (profile: vulnerability_factors); any_factor: true
               for a case with at least one factor recorded
  platform     recruitment platform (profile: recruitment_platforms)
  route        visa or posting route (profile: migration_routes)
  transit      a country the person was moved through (ISO code); any_transit: true for
               a case with at least one transit country
  foreign      true: citizens of other countries than the profile's (or of none recorded)
  sex          sex of the person
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from thb.core.aggregates import Year
from thb.core.registry import Number, register_measure
from thb.profiles import get_profile
from thb.profiles.sections.figures import FigureDef
from thb.victims.figures import _codes, _country_codes, _require, counted_once
from thb.victims.models import Case, CaseStatus, CaseTransit, CaseVulnerability, Sex

STATUSES = {
    "recognised": [CaseStatus.RECOGNISED],
    "assessed": [CaseStatus.RECOGNISED, CaseStatus.NOT_RECOGNISED],
}
FILTERS = {
    "status": _("status: recognised (default) or assessed (either decision)"),
    "factor": _("vulnerability factor"),
    "any_factor": _("at least one vulnerability factor recorded"),
    "platform": _("recruitment platform"),
    "route": _("visa or posting route"),
    "transit": _("transit country (ISO code)"),
    "any_transit": _("at least one transit country recorded"),
    "foreign": _("citizens of other countries (or of none recorded)"),
    "sex": _("sex"),
}


# The case's rows a figure may test: its vulnerability factors or its transit countries.
_RELATIONS: dict[str, tuple[str, str, Any]] = {
    "factor": ("vulnerabilities", "factor", CaseVulnerability),
    "transit": ("transits", "country", CaseTransit),
}


def _related(figure: FigureDef, name: str) -> tuple[bool, list[str]]:
    """(whether the figure tests the case's factors or transit countries, the codes;
    [] for "any")."""
    codes = _codes(figure.filter(name))
    return bool(codes) or figure.filter(f"any_{name}") is True, codes


def _joined(figure: FigureDef) -> str | None:
    """The one relation a figure's query joins the cases to ("factor", "transit"), or
    None: no relation, or both (those are tested with EXISTS)."""
    tested = [name for name in _RELATIONS if _related(figure, name)[0]]
    return tested[0] if len(tested) == 1 else None


def condition(figure: FigureDef, joined: str | None = None) -> Q:
    """The SQL condition of a case that the figure counts (its year aside). `joined`:
    the query joins each case to its rows of that relation (one row a factor or a
    transit country), so the figure tests the joined row instead of an EXISTS per case."""
    where = Q(status__in=STATUSES[str(figure.filter("status", "recognised"))])
    for name, (relation, column, model) in _RELATIONS.items():
        tested, codes = _related(figure, name)
        if not tested:
            continue
        if name == joined:
            if codes:
                where &= Q(**{f"{relation}__{column}__in": codes})
            continue
        rows = model.objects.filter(case_id=OuterRef("pk"))
        if codes:
            rows = rows.filter(**{f"{column}__in": codes})
        where &= Q(Exists(rows))
    platforms = _codes(figure.filter("platform"))
    if platforms:
        where &= Q(recruitment_platform__in=platforms)
    routes = _codes(figure.filter("route"))
    if routes:
        where &= Q(migration_route__in=routes)
    if figure.filter("foreign") is True:
        where &= ~Q(person__citizenship=get_profile().country.code)
    sexes = _codes(figure.filter("sex"))
    if sexes:
        where &= Q(person__sex__in=sexes)
    return where


def _trends_years(
    years: Sequence[int], figures: Sequence[FigureDef]
) -> dict[int, dict[str, Number]]:
    """Every figure of every year in at most three GROUP BY queries of the decided
    cases (one case a person): the figures on the case's own columns in one; those on
    its vulnerability factors in one over the cases joined to their factors (a case's
    row a factor), those on its transit countries likewise: a join the database makes
    once, where an EXISTS per case and figure was tested for every decided case."""
    years = sorted(set(years))
    out: dict[int, dict[str, Number]] = {
        year: dict.fromkeys((f.id for f in figures), 0) for year in years
    }
    if not figures or not years:
        return out
    decided = counted_once(
        Case.objects.filter(
            status__in=STATUSES["assessed"],
            decided_on__gte=date(years[0], 1, 1),
            decided_on__lte=date(years[-1], 12, 31),
        )
    ).order_by()
    by_join: dict[str | None, list[FigureDef]] = {}
    for figure in figures:
        by_join.setdefault(_joined(figure), []).append(figure)
    for joined, members in by_join.items():
        cases = decided
        if joined is not None:
            relation = _RELATIONS[joined][0]
            # An inner join to the relation; the counts' conditions on it test the
            # joined row (a filter before annotate() shares its join).
            cases = cases.filter(**{f"{relation}__isnull": False})
        aliases = {f"f{index}": figure.id for index, figure in enumerate(members)}
        counts: dict[str, Any] = {}
        for alias, figure in zip(aliases, members, strict=True):
            codes = _related(figure, joined)[1] if joined is not None else []
            # A case's row once a factor (a constraint); a transit country may be
            # passed twice, and "any" or a list matches several rows of a case.
            distinct = joined is not None and (joined == "transit" or len(codes) != 1)
            counts[alias] = Count("pk", filter=condition(figure, joined), distinct=distinct)
        rows = cases.annotate(year=Year("decided_on")).values("year").annotate(**counts)
        for row in rows:
            cells: dict[str, Any] = dict(row)
            if cells["year"] in out:
                for alias, figure_id in aliases.items():
                    out[cells["year"]][figure_id] = int(cells[alias])
    return out


def _trends(year: int, figures: Sequence[FigureDef]) -> Mapping[str, Number]:
    return _trends_years([year], figures)[year]


def _check(figure: FigureDef) -> None:
    profile = get_profile()
    _require("status", figure.filter("status"), STATUSES, many=False)
    _require("factor", figure.filter("factor"), profile.codes("vulnerability_factors"))
    _require("platform", figure.filter("platform"), profile.codes("recruitment_platforms"))
    _require("route", figure.filter("route"), profile.codes("migration_routes"))
    _require("transit", figure.filter("transit"), _country_codes())
    _require("sex", figure.filter("sex"), Sex.values)
    for name in ("any_factor", "any_transit", "foreign"):
        if figure.filter(name) not in (None, True):
            raise ValueError(f"filter {name} takes only true")


def register() -> None:
    register_measure(
        "victims.trends",
        records=_(
            "cases of the victim register with an identification decision (one case a "
            "person), by the decision's date, by the person's vulnerability and how the "
            "exploitation worked"
        ),
        compute=_trends,
        compute_years=_trends_years,
        filters=FILTERS,
        check=_check,
    )
