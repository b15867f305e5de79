"""The yearly submissions on the home page: a reporter's own submission for the
reporting year (its status and the records entered), and for the coordinator the
submissions of the recent years by status."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thb.accounts.models import Role, User
from thb.core import formats
from thb.core.charts import Bar, BarChart, ColumnChart, Section, Series
from thb.interop import policy
from thb.interop.models import SubmissionStatus
from thb.interop.selectors import (
    NOT_STARTED,
    contributions,
    is_late,
    submission_due_date,
    submission_of_institution,
    submission_status_counts,
    submission_years,
)

STATUS_LABELS = {NOT_STARTED: gettext_lazy("not started"), **dict(SubmissionStatus.choices)}
YEARS_SHOWN = 5


def reporting_year(today: date) -> int:
    # Institutions report in the first months of the year on the year before.
    return today.year - 1


def _reporter(actor: User, today: date) -> Section:
    year = reporting_year(today)
    submission = submission_of_institution(actor=actor, year=year)
    status = submission.status if submission else NOT_STARTED
    late = is_late(submission, year, today) and status in (NOT_STARTED, SubmissionStatus.DRAFT)
    note = _("%(status)s; due on %(due)s.") % {
        "status": str(STATUS_LABELS[status]).capitalize(),
        "due": formats.day(submission_due_date(year)),
    }
    if late:
        note += " " + _("The due date has passed.")
    assert actor.institution is not None  # can_submit checked it
    bars = [Bar(label, count) for label, count in contributions(actor.institution, year)]
    charts: list[BarChart | ColumnChart] = []
    if bars:
        charts.append(
            BarChart(
                "records-entered",
                _("Records entered for %(year)s") % {"year": year},
                _("Records"),
                bars,
                label_header=_("Kind of record"),
            )
        )
    url = reverse("interop:my_submission", kwargs={"year": year})
    return Section(
        key="submission",
        title=_("Yearly submission %(year)s") % {"year": year},
        note=note,
        charts=charts,
        links=[(url, _("Open the submission"))],
    )


def _coordinator(actor: User, today: date) -> Section:
    current = reporting_year(today)
    years = sorted({*submission_years(), current})[-YEARS_SHOWN:]
    counts = submission_status_counts(actor=actor, years=years)
    statuses = [NOT_STARTED, *SubmissionStatus.values]
    overview = reverse("interop:overview")
    return Section(
        key="submissions",
        title=_("Submissions by status"),
        charts=[
            ColumnChart(
                "submissions-by-status",
                _("Institutions' submissions by status and year"),
                [str(year) for year in years],
                [
                    Series(str(STATUS_LABELS[status]), [counts[y][status] for y in years])
                    for status in statuses
                ],
                label_header=_("Status"),
            )
        ],
        links=[
            (f"{overview}?year={year}", _("Submissions %(year)s") % {"year": year})
            for year in reversed(years)
        ],
    )


def sections(*, actor: User, today: date) -> list[Section]:
    if policy.can_submit(actor):
        return [_reporter(actor, today)]
    if policy.can_review(actor) and actor.role == Role.COORDINATOR:
        return [_coordinator(actor, today)]
    return []
