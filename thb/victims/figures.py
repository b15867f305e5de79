"""The victims.* figures of the annual report."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.utils.translation import gettext_lazy as _

from thb.core.registry import Number, register_measure
from thb.profiles.sections.figures import FigureDef
from thb.victims.selectors import victim_statistics


def _figures(year: int) -> dict[str, int | float]:
    return dict(victim_statistics(year))


def _statistics(year: int, figures: Sequence[FigureDef]) -> Mapping[str, Number]:
    """Transitional: the app's figures computed in one pass, then picked by id."""
    computed = _figures(year)
    return {f.id: computed.get(f.id, 0) for f in figures}


def register() -> None:
    register_measure(
        "victims.statistics",
        records=_("the victims records of the year, as the report counts them"),
        compute=_statistics,
    )
