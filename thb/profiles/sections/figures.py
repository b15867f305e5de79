"""The figure catalogue of a country profile (thb/profiles/<country>/figures-*.yaml).

Every figure the system publishes is declared here once, literally, with its
definition in the profile's languages, its unit, whether it counts persons (and so
falls under disclosure control), and the measure with filters that computes it. The
`figures` key may stand in several files of a profile (one per domain); the lists are
joined in file-name order.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from thb.profiles.schema_base import Label, Strict

FigureId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+(\.[a-zA-Z0-9_+]+)+$")]
MeasureName = Annotated[str, StringConstraints(pattern=r"^[a-z_]+\.[a-z_]+$")]
FilterValue = str | int | bool | list[str] | list[int]

Unit = Literal["persons", "cases", "events", "eur", "hours", "months"]


class FigureDef(Strict):
    """One published figure.

    measure: the registered selector that computes it (thb.core.registry); filters:
    what that measure selects (each measure documents its filters); year_offset: -1
    gives the previous year's value under this year's report (the report's
    comparisons); persons: counts persons, so the public edition protects it (by
    default: unit persons)."""

    id: FigureId
    definition: Label
    unit: Unit
    measure: MeasureName
    filters: dict[str, FilterValue] = Field(default_factory=dict)
    year_offset: int = Field(default=0, ge=-10, le=0)
    persons: bool | None = None

    @property
    def counts_persons(self) -> bool:
        return self.unit == "persons" if self.persons is None else self.persons

    def filter(self, name: str, default: FilterValue | None = None) -> FilterValue | None:
        return self.filters.get(name, default)
