"""Helpers of the report's measures: many figures answered by one aggregate query."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Case, F, Func, IntegerField, Q, QuerySet, Value, When

from thb.core.registry import Number


def aggregate_each(queryset: QuerySet[Any], expressions: Mapping[str, Any]) -> dict[str, Any]:
    """One query: each key's aggregate expression (a filtered Count, Sum, Min or Max of
    the queryset), keyed as given (figure ids, which are not valid SQL aliases)."""
    if not expressions:
        return {}
    aliases = {f"f{index}": key for index, key in enumerate(expressions)}
    row = queryset.aggregate(**{alias: expressions[key] for alias, key in aliases.items()})
    return {key: row[alias] for alias, key in aliases.items()}


def in_years(field: str, years: Iterable[int]) -> Q:
    """The rows whose date (or date and time) `field` falls in one of the years: the
    same bounds as `field__year=year` (a range the database compares natively, an
    index can answer, in the active time zone for a date and time)."""
    q = Q(pk__in=[])
    for year in sorted(set(years)):
        q |= Q(**{f"{field}__year": year})
    return q


def year_of(field: str, years: Iterable[int]) -> Case:
    """The year of `field` among `years` (None outside them), as an expression to group
    by: each year's `field__year` range, so that a row counts in a year exactly when
    the filter `field__year=year` picks it (Django's ExtractYear calls Python for every
    row on SQLite, and on PostgreSQL reads a date and time in UTC)."""
    whens = [When(Q(**{f"{field}__year": year}), then=Value(year)) for year in sorted(set(years))]
    return Case(*whens, default=None, output_field=IntegerField())


def aggregate_years(
    queryset: QuerySet[Any],
    field: str,
    years: Iterable[int],
    expressions: Mapping[str, Any],
    *,
    year_field: bool = False,
) -> dict[int, dict[str, Any]]:
    """One query for several years: each key's aggregate expression for each year,
    the rows grouped by the year of their date `field` (`year_of`), or by `field`
    itself where it holds the year (`year_field`). A year without rows gives None for
    every key, as an aggregate over no rows does for a Sum (use `number`)."""
    wanted = sorted(set(years))
    out: dict[int, dict[str, Any]] = {year: dict.fromkeys(expressions) for year in wanted}
    if not expressions or not wanted:
        return out
    aliases = {f"f{index}": key for index, key in enumerate(expressions)}
    if year_field:
        picked = queryset.filter(**{f"{field}__in": wanted}).annotate(report_year=F(field))
    else:
        picked = queryset.filter(in_years(field, wanted)).annotate(
            report_year=year_of(field, wanted)
        )
    rows = (
        picked.values("report_year")
        .annotate(**{alias: expressions[key] for alias, key in aliases.items()})
        .order_by()
    )
    for row in rows:
        out[row["report_year"]] = {key: row[alias] for alias, key in aliases.items()}
    return out


def number(value: Any) -> Number:
    """An aggregate's value as the report prints it: 0 for no rows, whole amounts as
    int, other amounts as float."""
    if value is None:
        return 0
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value if isinstance(value, float) else int(value)


class Year(Func):
    """The year of a date as an integer, computed natively, to group by (Django's
    ExtractYear calls a Python function for every row on SQLite)."""

    template = "CAST(EXTRACT(YEAR FROM %(expressions)s) AS INTEGER)"
    output_field = IntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # SQLite keeps a date as ISO text: its first four characters are the year.
        template = "CAST(SUBSTR(%(expressions)s, 1, 4) AS INTEGER)"
        return self.as_sql(compiler, connection, template=template, **extra)
