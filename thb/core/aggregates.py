"""Helpers of the report's measures: many figures answered by one aggregate query."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Func, IntegerField, QuerySet

from thb.core.registry import Number


def aggregate_each(queryset: QuerySet[Any], expressions: Mapping[str, Any]) -> dict[str, Any]:
    """One query: each key's aggregate expression (a filtered Count, Sum, Min or Max of
    the queryset), keyed as given (figure ids, which are not valid SQL aliases)."""
    if not expressions:
        return {}
    aliases = {f"f{index}": key for index, key in enumerate(expressions)}
    row = queryset.aggregate(**{alias: expressions[key] for alias, key in aliases.items()})
    return {key: row[alias] for alias, key in aliases.items()}


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
