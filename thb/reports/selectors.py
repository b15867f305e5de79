"""Reads of the annual report for the pages, the API and the command: documents built
by the one renderer (thb/reports/builder.py), scoped through thb/reports/policy.py.
Aggregates only: nothing here returns a record or an identity."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from thb.accounts.models import User
from thb.audit.models import Action
from thb.audit.services import audit_record
from thb.core.registry import Number
from thb.profiles import get_profile
from thb.reports import cache, editorial
from thb.reports.builder import FigureSource, build_document, years_read
from thb.reports.catalogue import Explanation, catalogue, explain
from thb.reports.document import Document, Edition
from thb.reports.formats import Rendered, render
from thb.reports.models import ReportVersion
from thb.reports.policy import STATISTICS_ROLES, can_download, can_read_statistics
from thb.reports.years import record_years

__all__ = ["STATISTICS_ROLES"]

TOPICS = ("victims", "support", "justice", "activities")
# The formats the report is offered in (the list; thb/reports/formats renders them).
FORMATS = ("html", "pdf", "xlsx", "csv", "json")
Progress = Callable[[str], None]


def topic_chapters(topic: str) -> list[str]:
    """The layout's chapters that a statistics page of `topic` shows, in order."""
    profile = get_profile()
    return [
        chapter_id
        for chapter_id in profile.report.chapters
        if topic in profile.chapter(chapter_id).topics
    ]


def _no_texts(year: int, language: str) -> dict[str, editorial.Narrative]:
    # The statistics pages show the tables; the texts are the report's.
    return {}


def stored_document(
    *, year: int, language: str, edition: Edition, chapters: list[str] | None = None
) -> Document:
    """A page's document from the stored figures (thb/reports/cache.py), never
    computed per request: a closed year's latest frozen version, an open year's
    figures as stored at the records' current generation."""
    source = cache.PageFigures()
    version = source.closed.get(year)
    if version is not None:
        document = build_document(
            year=year,
            language=language,
            edition=edition,
            chapters=chapters,
            figures_of=editorial.frozen_figures(version),
            narratives=_no_texts,
            years_with_records=set(version.record_years),
        )
        document.metadata["version"] = {
            "number": version.number,
            "frozen_at": version.frozen_at.isoformat(timespec="seconds"),
            "content_hash": version.content_hash,
        }
        return document
    return build_document(
        year=year,
        language=language,
        edition=edition,
        chapters=chapters,
        figures_of=source,
        notes_of=source.notes,
        narratives=_no_texts,
    )


def statistics_document(*, actor: User, year: int, language: str, topic: str) -> Document:
    """The internal edition's chapters of one topic (victims, support, justice,
    activities): the coordinator's statistics pages."""
    if not can_read_statistics(actor):
        raise PermissionDenied
    return stored_document(
        year=year, language=language, edition="internal", chapters=topic_chapters(topic)
    )


def public_document(*, year: int, language: str) -> Document:
    """The public edition's tables: every chapter, after disclosure control."""
    return stored_document(year=year, language=language, edition="public")


def figures_for(*, actor: User, year: int, prefix: str = "") -> dict[str, Number]:
    """The figures of the year as the pages show them (a closed year's frozen
    figures), optionally only the ids starting with `prefix` (the API)."""
    if not can_read_statistics(actor):
        raise PermissionDenied
    values = cache.PageFigures()(year)
    return {
        figure_id: values.get(figure_id, 0)
        for figure_id in sorted(catalogue())
        if figure_id.startswith(prefix)
    }


def catalogue_for(*, actor: User, language: str) -> list[Explanation]:
    """Every figure of the catalogue with how it is counted."""
    if not can_read_statistics(actor):
        raise PermissionDenied
    return [explain(figure_id, language) for figure_id in catalogue()]


def versions_for(*, actor: User, year: int) -> list[ReportVersion]:
    if not can_read_statistics(actor):
        raise PermissionDenied
    return list(ReportVersion.objects.filter(year=year).select_related("frozen_by"))


def closed_version_for(*, actor: User, year: int) -> ReportVersion | None:
    """The version a closed year's pages show (None: the year is open)."""
    if not can_read_statistics(actor):
        raise PermissionDenied
    return cache.closed_version(year)


def report_file(
    *,
    year: int,
    language: str,
    edition: Edition,
    fmt: str,
    version: ReportVersion | None = None,
    progress: Progress | None = None,
    source: FigureSource | None = None,
    recompute: bool = False,
) -> Rendered:
    """The report file, unchecked: callers check the policy and audit (below, and the
    `thb report` command run by the operator). The current edition's figures come from
    `source`: by default (the command) the year and the open earlier years computed
    from the records, a closed earlier year's frozen figures (`recompute`: every year
    from the records); stored for the pages."""
    step = progress or (lambda _message: None)
    if source is None:
        # The year and the earlier years its tables compare with: the open ones
        # computed together, the closed ones read from their snapshots.
        source = cache.RecordsFigures(year, years_read(year, record_years()), recompute=recompute)
    figures = editorial.RecordingFigures(source)
    if version is None:
        step("computing figures")
        figures(year)
    else:
        step(f"reading frozen version {version.number}")
    step("building the document")
    document = editorial.report_document(
        year=year, language=language, edition=edition, version=version, figures=figures
    )
    step(f"rendering {fmt}")
    return render(document, fmt)


def report_file_for(
    *,
    actor: User | None,
    year: int,
    language: str,
    edition: Edition,
    fmt: str,
    version: ReportVersion | None = None,
    request: HttpRequest | None = None,
) -> Rendered:
    """A download of the report: the public edition for anyone, the internal edition
    for the coordinator and administrators. Every download is audited."""
    if not can_download(actor, edition):
        raise PermissionDenied
    source = cache.PageFigures()
    # A closed year's report is its latest frozen version.
    version = version or source.closed.get(year)
    rendered = report_file(
        year=year, language=language, edition=edition, fmt=fmt, version=version, source=source
    )
    audit_record(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=Action.EXPORT,
        object_type="reports.report",
        object_id=str(year),
        details={
            "year": year,
            "edition": edition,
            "format": fmt,
            "language": language,
            "version": version.number if version is not None else None,
        },
        request=request,
    )
    return rendered


def stored_figures_of_years(*, actor: User, years: list[int]) -> dict[int, Mapping[str, Number]]:
    """The stored figures of several years (the dashboard's trends): a closed year's
    frozen figures, an open year's as stored at the records' current generation;
    never computed per request (thb/reports/cache.py)."""
    if not can_read_statistics(actor):
        raise PermissionDenied
    source = cache.PageFigures()
    return {year: source(year) for year in years}
