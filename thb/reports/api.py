"""Report figures API: the same numbers as `thb report` and the statistics pages."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from thb.core.params import YearPath
from thb.reports.figures import report_figures
from thb.reports.policy import can_read_statistics

router = Router(tags=["reports"])


class FiguresOut(Schema):
    year: int
    figures: dict[str, float | int]


@router.get("/figures/{year}", response=FiguresOut, summary="Every report figure of a year")
def figures(request: HttpRequest, year: YearPath, prefix: str = "") -> FiguresOut:
    if not can_read_statistics(request.user):  # type: ignore[arg-type]
        raise HttpError(403, "Your role may not read this.")
    return FiguresOut(year=year, figures=report_figures(year, prefix=prefix))
