"""Report figures API: the same numbers as `thb report` and the statistics pages."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from thb.core.params import YearPath
from thb.reports.policy import can_read_statistics
from thb.reports.selectors import figures_for

router = Router(tags=["reports"])


class FiguresOut(Schema):
    year: int
    figures: dict[str, float | int]


@router.get("/figures/{year}", response=FiguresOut, summary="Every report figure of a year")
def figures(request: HttpRequest, year: YearPath, prefix: str = "") -> FiguresOut:
    if not can_read_statistics(request.user):  # type: ignore[arg-type]
        raise HttpError(403, "Your role may not read this.")
    # Stored figures, never computed per request (a closed year's frozen ones).
    return FiguresOut(
        year=year,
        figures=figures_for(actor=request.user, year=year, prefix=prefix),  # type: ignore[arg-type]
    )
