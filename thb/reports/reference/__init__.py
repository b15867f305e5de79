"""Acceptance data: the published figures that the demo data set must reproduce.

`lv-2020-figures.yaml` is a copy of shared/reference/2020-figures.yaml (the Ministry of
the Interior's 2020 report), kept in the repository so the acceptance tests never
depend on files outside it; a test checks the copy against the shared original where
that is present.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from thb.profiles.loader import read_yaml

DIRECTORY = Path(__file__).resolve().parent


@lru_cache(maxsize=4)
def _load(name: str) -> dict[str, int | float]:
    data = read_yaml((DIRECTORY / name).read_text(encoding="utf-8"))
    return {row["id"]: row["value"] for row in data["figures"]}


def reference_figures(
    prefix: str = "", *, name: str = "lv-2020-figures.yaml"
) -> dict[str, int | float]:
    """The published figures whose id starts with `prefix`."""
    return {k: v for k, v in _load(name).items() if k.startswith(prefix)}
