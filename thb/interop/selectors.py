"""Reads of yearly submissions and import jobs, scoped to the acting user.
`submission_is_locked` is the one question other apps ask: may this institution's
records of that year still change?"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from thb.accounts.models import Institution, User
from thb.interop.models import ImportJob, Submission, SubmissionStatus
from thb.interop.policy import (
    can_review,
    can_submit,
    expected_reporters,
    import_job_scope,
    submission_scope,
)
from thb.interop.registry import registered
from thb.profiles import get_profile


def submission_is_locked(institution: Institution | int | None, year: int) -> bool:
    """True when the institution's submission for the year is accepted: its records of
    that year and its narrative may not be changed until the coordinator reopens it."""
    if institution is None:
        return False
    institution_id = institution if isinstance(institution, int) else institution.pk
    return Submission.objects.filter(
        institution_id=institution_id, year=year, status=SubmissionStatus.ACCEPTED
    ).exists()


def locked_years(
    institution: Institution | int | None, years: Iterable[int] | None = None
) -> set[int]:
    """Which of the years (every year when None) the institution's accepted submissions
    lock (one query: an import checks every year of its file at once)."""
    if institution is None:
        return set()
    institution_id = institution if isinstance(institution, int) else institution.pk
    accepted = Submission.objects.filter(
        institution_id=institution_id, status=SubmissionStatus.ACCEPTED
    )
    if years is not None:
        accepted = accepted.filter(year__in=sorted(set(years)))
    return set(accepted.values_list("year", flat=True))


def submission_due_date(year: int) -> date:
    return get_profile().reporting.due_date(year)


def report_sections(language: str = "") -> list[tuple[str, str]]:
    """(code, label) of the report sections an institution writes a narrative for."""
    return [
        (item.code, item.label.get(language)) for item in get_profile().reporting.report_sections
    ]


def submission_of_institution(*, actor: User, year: int) -> Submission | None:
    """The acting reporter's own institution's submission for the year, if started."""
    if not can_submit(actor):
        raise PermissionDenied
    return Submission.objects.filter(institution=actor.institution, year=year).first()


def submission_get_for_user(*, actor: User, pk: int) -> Submission:
    """The submission if the user may see it: its institution's reporters and the
    coordinator. Anyone else gets 404, so that the existence of a record is not revealed."""
    scope = submission_scope(actor)
    if scope is None:
        raise Http404
    submission = Submission.objects.select_related("institution").filter(scope, pk=pk).first()
    if submission is None:
        raise Http404
    return submission


def is_late(submission: Submission | None, year: int, today: date | None = None) -> bool:
    due = submission_due_date(year)
    if submission is not None and submission.first_submitted_at is not None:
        return timezone.localtime(submission.first_submitted_at).date() > due
    return (today or timezone.localdate()) > due


def contributions(institution: Institution, year: int) -> list[tuple[str, int]]:
    """(import type label, number of records) for every registered record type that can
    count an institution's records; types with nothing recorded are left out."""
    out: list[tuple[str, int]] = []
    for import_type in registered().values():
        if import_type.count_for is None:
            continue
        count = import_type.count_for(institution, year)
        if count:
            out.append((str(import_type.label), count))
    return out


@dataclass
class OverviewRow:
    institution: Institution
    submission: Submission | None
    late: bool
    contributions: list[tuple[str, int]] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.submission.status if self.submission else ""


def submission_overview(*, actor: User, year: int) -> list[OverviewRow]:
    """Every institution expected to report (one with an active reporter, or one that
    has started a submission for the year), with its submission, lateness and records."""
    if not can_review(actor):
        raise PermissionDenied
    submissions = {
        s.institution_id: s
        for s in Submission.objects.filter(year=year).select_related("institution")
    }
    institutions = Institution.objects.filter(
        Q(pk__in=submissions.keys()) | expected_reporters()
    ).distinct()
    today = timezone.localdate()
    rows = []
    for institution in institutions.order_by("name"):
        submission = submissions.get(institution.pk)
        rows.append(
            OverviewRow(
                institution=institution,
                submission=submission,
                late=is_late(submission, year, today),
                contributions=contributions(institution, year),
            )
        )
    return rows


def submission_years() -> set[int]:
    """Years an institution has submitted a narrative for (drafts do not count)."""
    return set(
        Submission.objects.exclude(status=SubmissionStatus.DRAFT)
        .values_list("year", flat=True)
        .distinct()
    )


def import_jobs_of_user(*, actor: User) -> QuerySet[ImportJob]:
    """The actor's import jobs, newest first (the stored file is never loaded)."""
    return ImportJob.objects.filter(import_job_scope(actor)).defer("data")


def import_job_get_for_user(*, actor: User, pk: int) -> ImportJob:
    """The job if the actor may follow it; 404 otherwise, so that another user's job
    is not revealed."""
    job = import_jobs_of_user(actor=actor).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


def import_job_progress(job: ImportJob) -> tuple[int, int]:
    """(rows done, rows in total) of a job: as stored, or newer from the runner of this
    process while the import's transaction keeps the stored value from changing."""
    from thb.interop.runner import live_progress

    live = live_progress(job.pk) if job.active else None
    if live is not None and live[0] >= job.done:
        return live
    return job.done, job.total


# The dashboard's counts (thb/interop/dashboard.py).

NOT_STARTED = "not_started"


def submission_status_counts(*, actor: User, years: Iterable[int]) -> dict[int, dict[str, int]]:
    """{year: {status: number of institutions}} for the reviewer: every submission of
    the years by status, and the institutions expected to report (those with an
    active reporter now) that have not started one. Two queries, whatever the data."""
    if not can_review(actor):
        raise PermissionDenied
    years = sorted(set(years))
    counts: dict[int, dict[str, int]] = {
        year: dict.fromkeys([NOT_STARTED, *SubmissionStatus.values], 0) for year in years
    }
    rows = (
        Submission.objects.filter(year__in=years)
        .values("year", "status")
        .annotate(count=Count("id"))
        .order_by()
    )
    for row in rows:
        counts[row["year"]][row["status"]] = row["count"]
    for year in years:  # one query a year (the dashboard asks for a few)
        counts[year][NOT_STARTED] = (
            Institution.objects.filter(expected_reporters())
            .exclude(submissions__year=year)
            .values("pk")
            .distinct()
            .count()
        )
    return counts
