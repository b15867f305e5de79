from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language

from thb.core.access import allowed_if
from thb.core.forms import year_param
from thb.reports.policy import can_see_statistics
from thb.reports.selectors import public_tables, statistics_for


def _year(request: HttpRequest) -> int:
    """The year asked for; by default the last complete one."""
    default = timezone.localdate().year - 1
    return year_param(request, default) or default


@allowed_if(can_see_statistics)
def statistics(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    data = statistics_for(actor=request.user, year=year, language=get_language() or "lv")  # type: ignore[arg-type]
    return render(request, "reports/statistics.html", {"year": year, **data})


def public_statistics(request: HttpRequest) -> HttpResponse:
    """Published statistics: anyone may read them; small cells are suppressed."""
    year = _year(request)
    return render(
        request,
        "reports/public_statistics.html",
        {"year": year, "tables": public_tables(year, get_language() or "lv")},
    )
