"""The figures of the annual report, gathered from the domain apps.

Each app in settings.THB_DOMAIN_APPS may have a `figures.py` with a function
`figures(year: int) -> dict[str, int | float]` built on its selectors. Ids are
stable (see shared/reference/2020-figures.yaml); the statistics page, the API and
`thb report` all read them from here, so every edition shows the same numbers.
"""

from __future__ import annotations

import importlib
from typing import Protocol

from django.conf import settings

Number = int | float


class FigureSource(Protocol):
    def __call__(self, year: int) -> dict[str, Number]: ...


def _sources() -> list[tuple[str, FigureSource]]:
    sources = []
    for app in settings.THB_DOMAIN_APPS:
        try:
            module = importlib.import_module(f"thb.{app}.figures")
        except ModuleNotFoundError as exc:
            if exc.name != f"thb.{app}.figures":
                raise
            continue
        sources.append((app, module.figures))
    return sources


def report_figures(year: int, *, prefix: str = "") -> dict[str, Number]:
    """All figures of the year, optionally only those whose id starts with `prefix`."""
    out: dict[str, Number] = {}
    for app, source in _sources():
        for key, value in source(year).items():
            if key in out:
                raise RuntimeError(f"figure id {key!r} produced twice (second by {app})")
            out[key] = value
    if prefix:
        out = {k: v for k, v in out.items() if k.startswith(prefix)}
    return dict(sorted(out.items()))
