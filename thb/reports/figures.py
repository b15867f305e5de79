"""The figures of the annual report: every id of the catalogue (profile
figures-*.yaml), computed by the measures the apps register (thb.core.registry).
The statistics pages, the API and `thb report` all read them from here, so every
edition shows the same numbers."""

from __future__ import annotations

from thb.core.registry import Number
from thb.reports.catalogue import compute_figures

__all__ = ["Number", "report_figures"]


def report_figures(year: int, *, prefix: str = "") -> dict[str, Number]:
    """All figures of the year, optionally only those whose id starts with `prefix`;
    every declared id is present, 0 where nothing was counted."""
    from thb.reports.catalogue import catalogue

    ids = [figure_id for figure_id in catalogue() if figure_id.startswith(prefix)]
    return dict(sorted(compute_figures(year, ids).items()))
