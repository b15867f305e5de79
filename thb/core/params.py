"""Bounds of the numbers that pages, the API and commands take from a request, and the
API's typed parameters built from them. Out of range: 422 from the API, the default
from a page; never a number the database cannot hold."""

from __future__ import annotations

from typing import Annotated

from ninja import Path, Query

from thb.profiles import get_profile

# Report years: the earliest data anyone will enter, the latest anyone will plan (the
# profile's limits.years, which the forms and imports check too: thb.core.validators).
YEAR_MIN = get_profile().limits.years.earliest
YEAR_MAX = get_profile().limits.years.latest
_YEARS = f"a year, {YEAR_MIN}-{YEAR_MAX}"

YearPath = Annotated[int, Path(ge=YEAR_MIN, le=YEAR_MAX, description=_YEARS)]
YearQuery = Annotated[int | None, Query(None, ge=YEAR_MIN, le=YEAR_MAX, description=_YEARS)]
# Keyset paging of the API lists (thb/core/paging.py): the cursor of the page to read
# (from the previous response's X-Next-Cursor or Link header) and the page size.
CursorQuery = Annotated[
    str | None,
    Query(
        None,
        max_length=1000,
        description="the page to read: the cursor from the previous page's X-Next-Cursor "
        "header (or its Link rel=next); none for the first page",
    ),
]
LimitQuery = Annotated[
    int | None,
    Query(None, ge=1, le=100_000, description="rows a page (default and most: the settings)"),
]
