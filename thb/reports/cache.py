"""The figures of each year, computed once per change of the records, and the
snapshots of closed years: what every report page, the API and the downloads read,
so that no request computes the report (least of all an anonymous one).

- **Stored figures.** `year_figures(year)` returns the year's figures as stored in
  YearFigures, computed at the current generation of the records
  (thb/core/changes.py: every write of a record the report counts moves it on). The
  first request after a change computes them once; a request that finds another
  process computing them waits for its result instead of computing too.
- **Closed years.** A year whose report the coordinator marked final, with every
  submission the institutions sent for the year accepted before that, and not
  re-opened since, is closed: its pages and downloads show the latest frozen version
  (ReportVersion), whatever changed in the records since. docs/report.md says how a
  correction re-opens it.

Nothing here checks access: the selectors (thb/reports/selectors.py) do.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone, translation

from thb.core import changes
from thb.core.languages import current_language, languages
from thb.core.models import RecordsGeneration
from thb.core.registry import Number, aggregate_basis
from thb.interop.models import Submission, SubmissionStatus
from thb.reports.catalogue import YearsFigures, compute_figures
from thb.reports.models import ReportVersion, YearFigures

# A computation not finished after this long is taken for abandoned (its process died).
CLAIM = timedelta(minutes=10)
# The longest a request waits for another process's computation before computing itself.
WAIT_SECONDS = 120.0
POLL_SECONDS = 0.1


def _fresh(year: int, row: RecordsGeneration) -> tuple[int, YearFigures | None]:
    generation = changes.fingerprint(row, year)
    stored = YearFigures.objects.filter(year=year).first()
    if stored is not None and stored.generation == generation:
        return generation, stored
    return generation, None


def _claim(year: int) -> bool:
    """Take the computation of the year's figures (False: another process has it)."""
    now = timezone.now()
    with transaction.atomic():
        taken = (
            YearFigures.objects.filter(year=year)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .update(claimed_until=now + CLAIM)
        )
    if taken:
        return True
    try:
        with transaction.atomic():
            YearFigures.objects.create(year=year, claimed_until=now + CLAIM)
    except IntegrityError:
        return False
    return True


def _compute(year: int, generation: int) -> YearFigures:
    """Compute the year's figures and notes and store them, marked with the generation
    read before computing: a write that came in meanwhile makes them out of date."""
    try:
        figures = compute_figures(year)
        notes = {}
        for language in languages():
            with translation.override(language):
                notes[language] = dict(aggregate_basis(year))
    except BaseException:
        YearFigures.objects.filter(year=year).update(claimed_until=None)
        raise
    values = {
        "generation": generation,
        "figures": figures,
        "notes": notes,
        "computed_at": timezone.now(),
        "claimed_until": None,
    }
    if not YearFigures.objects.filter(year=year).update(**values):
        YearFigures.objects.update_or_create(year=year, defaults=values)
    return YearFigures(year=year, **values)


def stored(year: int) -> YearFigures:
    """The year's stored figures, current at the records' generation: computed here
    if they are not, by one process at a time."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        generation, found = _fresh(year, changes.current())
        if found is not None:
            return found
        if _claim(year) or time.monotonic() > deadline:
            return _compute(year, generation)
        time.sleep(POLL_SECONDS)


def year_figures(year: int) -> Mapping[str, Number]:
    """{figure id: value} of the year from the records (every declared id), computed
    once per change of the records."""
    return stored(year).figures


def year_notes(year: int, language: str) -> Mapping[str, str]:
    """{figure id: basis label} of the year's figures resting on aggregate returns."""
    return stored(year).notes.get(language, {})


def refresh(year: int) -> YearFigures:
    """Compute the year's figures now and store them (`thb figures refresh`)."""
    return _compute(year, changes.fingerprint(changes.current(), year))


# Closed years --------------------------------------------------------------------------


def closed_versions() -> dict[int, ReportVersion]:
    """{year: its latest frozen version} of every closed year: the version is the
    year's latest, not re-opened, and every submission the institutions sent for the
    year (drafts are not sent) was accepted before it was frozen. Two queries; the
    versions' figures and texts load when read."""
    latest = ReportVersion.objects.filter(
        number=Subquery(
            ReportVersion.objects.filter(year=OuterRef("year"))
            .order_by("-number")
            .values("number")[:1]
        )
    ).defer("figures", "texts")
    candidates = {v.year: v for v in latest if v.reopened_at is None}
    if not candidates:
        return {}
    sent = (
        Submission.objects.filter(year__in=list(candidates))
        .exclude(status=SubmissionStatus.DRAFT)
        .values_list("year", "status", "reviewed_at")
    )
    for year, status, reviewed_at in sent:
        version = candidates.get(year)
        if version is None:
            continue
        if status != SubmissionStatus.ACCEPTED or (
            reviewed_at is not None and reviewed_at > version.frozen_at
        ):
            del candidates[year]
    return candidates


def closed_version(year: int) -> ReportVersion | None:
    """The version a closed year's pages show, None while the year is open."""
    return closed_versions().get(year)


class PageFigures:
    """The figure source of a page, a download or the API: a closed year's frozen
    figures, an open year's stored figures; each year read once (the builder asks
    for earlier years from several tables)."""

    def __init__(self) -> None:
        self._closed: dict[int, ReportVersion] | None = None
        self._entries: dict[int, YearFigures] = {}

    @property
    def closed(self) -> dict[int, ReportVersion]:
        if self._closed is None:
            self._closed = closed_versions()
        return self._closed

    def _entry(self, year: int) -> YearFigures:
        if year not in self._entries:
            self._entries[year] = stored(year)
        return self._entries[year]

    def __call__(self, year: int) -> Mapping[str, Number]:
        version = self.closed.get(year)
        if version is not None:
            frozen: Mapping[str, Mapping[str, Number]] = version.figures
            return frozen.get(str(year), {})
        return self._entry(year).figures

    def notes(self, year: int) -> Mapping[str, str]:
        """Notes in the active language (the builder asks inside its language)."""
        if year in self.closed:
            return {}  # a frozen version keeps its figures, not their notes
        language = current_language()[:2]
        return self._entry(year).notes.get(language, {})


class RecordsFigures:
    """The figure source of the `thb report` command: the report's own year and the
    open earlier years it reads computed together from the records (one pass of each
    measure that can; not read from the store), a closed earlier year's figures read
    from its latest frozen version (its snapshot: nothing is computed for it).
    `recompute` computes the closed earlier years from the records too."""

    def __init__(self, year: int, years: set[int], *, recompute: bool = False) -> None:
        closed = {} if recompute else closed_versions()
        # The year asked for is the current edition: always from the records (its
        # revision note compares it with its latest frozen version).
        self.closed: dict[int, ReportVersion] = {y: v for y, v in closed.items() if y != year}
        self.open = YearsFigures(({year} | set(years)) - set(self.closed))

    def __call__(self, year: int) -> Mapping[str, Number]:
        version = self.closed.get(year)
        if version is not None:
            frozen: Mapping[str, Mapping[str, Number]] = version.figures
            return frozen.get(str(year), {})
        return self.open(year)
