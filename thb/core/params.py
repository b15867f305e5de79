"""Bounds of the numbers that pages, the API and commands take from a request, and the
API's typed parameters built from them. Out of range: 422 from the API, the default
from a page; never a number the database cannot hold."""

from __future__ import annotations

from typing import Annotated

from ninja import Path, Query

# Report years: the earliest data anyone will enter, the latest anyone will plan.
YEAR_MIN = 1990
YEAR_MAX = 2100
# No list holds more rows than this; larger offsets are mistakes or probes.
OFFSET_MAX = 10_000_000

YearPath = Annotated[int, Path(ge=YEAR_MIN, le=YEAR_MAX, description="a year, 1990-2100")]
YearQuery = Annotated[
    int | None, Query(None, ge=YEAR_MIN, le=YEAR_MAX, description="a year, 1990-2100")
]
OffsetQuery = Annotated[int, Query(0, ge=0, le=OFFSET_MAX, description="rows to skip")]
