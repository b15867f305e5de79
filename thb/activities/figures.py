"""The detection.*, helplines.*, training.*, awareness.* and international.* figures of
the annual report, computed from the activity records by the definitions in the
profile (`activities.figures`)."""

from __future__ import annotations

from typing import Any

from thb.activities.selectors import activity_figures


def figures(year: int) -> dict[str, int | float]:
    return {figure_id: found.value for figure_id, found in activity_figures(year).items()}


def metadata(year: int) -> dict[str, dict[str, Any]]:
    """For each figure: whether it rests (in part) on an aggregate return, on what basis
    (a total, an annual average, an approximation) and the institution's wording, so
    that the report can mark it ("on average", "about")."""
    return {
        figure_id: {"aggregate": found.aggregate, "basis": found.basis, "source": found.source}
        for figure_id, found in activity_figures(year).items()
    }
