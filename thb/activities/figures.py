"""The detection.*, helplines.*, training.*, awareness.* and international.* figures of
the annual report, computed from the activity records by the definitions in the
profile (`activities.figures`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from thb.activities.selectors import activity_figures
from thb.core.registry import Number, register_measure
from thb.profiles.sections.figures import FigureDef


def _figures(year: int) -> dict[str, int | float]:
    return {figure_id: found.value for figure_id, found in activity_figures(year).items()}


def metadata(year: int) -> dict[str, dict[str, Any]]:
    """For each figure: whether it rests (in part) on an aggregate return, on what basis
    (a total, an annual average, an approximation) and the institution's wording, so
    that the report can mark it ("on average", "about")."""
    return {
        figure_id: {"aggregate": found.aggregate, "basis": found.basis, "source": found.source}
        for figure_id, found in activity_figures(year).items()
    }


def _statistics(year: int, figures: Sequence[FigureDef]) -> Mapping[str, Number]:
    """Transitional: the app's figures computed in one pass, then picked by id."""
    computed = _figures(year)
    return {f.id: computed.get(f.id, 0) for f in figures}


def register() -> None:
    register_measure(
        "activities.statistics",
        records=_("the activities records of the year, as the report counts them"),
        compute=_statistics,
    )
