"""The report's "trends and risk groups" figures (profiles/<cc>/figures-trends.yaml):
victims by vulnerability factor, by recruitment platform, by visa or posting route and by
transit country.

victims.trends counts cases (one case a person in the statistics) with an identification
decision in the year, like victims.cases, selected by what the case records of the
person's vulnerability and of how the exploitation worked. All the figures asked for are
computed in one query: the decided cases grouped by the decision's year, one conditional
count per figure (COUNT(*) FILTER (WHERE ...), the factor and the transit tested with
EXISTS on the case's rows), so no record is read into Python.

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


def condition(figure: FigureDef) -> Q:
    """The SQL condition of a case that the figure counts (its year aside)."""
    where = Q(status__in=STATUSES[str(figure.filter("status", "recognised"))])
    factors = _codes(figure.filter("factor"))
    if factors or figure.filter("any_factor") is True:
        vulnerabilities = CaseVulnerability.objects.filter(case_id=OuterRef("pk"))
        if factors:
            vulnerabilities = vulnerabilities.filter(factor__in=factors)
        where &= Q(Exists(vulnerabilities))
    transit = _codes(figure.filter("transit"))
    if transit or figure.filter("any_transit") is True:
        transits = CaseTransit.objects.filter(case_id=OuterRef("pk"))
        if transit:
            transits = transits.filter(country__in=transit)
        where &= Q(Exists(transits))
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
    """Every figure of every year in one GROUP BY query of the decided cases."""
    years = sorted(set(years))
    out: dict[int, dict[str, Number]] = {
        year: dict.fromkeys((f.id for f in figures), 0) for year in years
    }
    if not figures or not years:
        return out
    aliases = {f"f{index}": figure.id for index, figure in enumerate(figures)}
    counts: dict[str, Any] = {
        alias: Count("pk", filter=condition(figure))
        for alias, figure in zip(aliases, figures, strict=True)
    }
    rows = (
        counted_once(
            Case.objects.filter(
                status__in=STATUSES["assessed"],
                decided_on__gte=date(years[0], 1, 1),
                decided_on__lte=date(years[-1], 12, 31),
            )
        )
        .order_by()
        .annotate(year=Year("decided_on"))
        .values("year")
        .annotate(**counts)
    )
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
