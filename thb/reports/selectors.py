"""Reads of the annual report for the pages, the API and the command: documents built
by the one renderer (thb/reports/builder.py), scoped through thb/reports/policy.py.
Aggregates only: nothing here returns a record or an identity."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from thb.accounts.models import User
from thb.audit.models import Action
from thb.audit.services import audit_record
from thb.profiles import get_profile
from thb.reports import editorial
from thb.reports.builder import build_document
from thb.reports.catalogue import Explanation, catalogue, explain
from thb.reports.document import Document, Edition
from thb.reports.formats import Rendered, render
from thb.reports.models import ReportVersion
from thb.reports.policy import STATISTICS_ROLES, can_download, can_read_statistics

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


def statistics_document(*, actor: User, year: int, language: str, topic: str) -> Document:
    """The internal edition's chapters of one topic (victims, support, justice,
    activities): the coordinator's statistics pages."""
    if not can_read_statistics(actor):
        raise PermissionDenied
    return build_document(
        year=year,
        language=language,
        edition="internal",
        chapters=topic_chapters(topic),
        narratives=_no_texts,
    )


def public_document(*, year: int, language: str) -> Document:
    """The public edition's tables: every chapter, after disclosure control."""
    return build_document(year=year, language=language, edition="public", narratives=_no_texts)


def catalogue_for(*, actor: User, language: str) -> list[Explanation]:
    """Every figure of the catalogue with how it is counted."""
    if not can_read_statistics(actor):
        raise PermissionDenied
    return [explain(figure_id, language) for figure_id in catalogue()]


def versions_for(*, actor: User, year: int) -> list[ReportVersion]:
    if not can_read_statistics(actor):
        raise PermissionDenied
    return list(ReportVersion.objects.filter(year=year).select_related("frozen_by"))


def report_file(
    *,
    year: int,
    language: str,
    edition: Edition,
    fmt: str,
    version: ReportVersion | None = None,
    progress: Progress | None = None,
) -> Rendered:
    """The report file, unchecked: callers check the policy and audit (below, and the
    `thb report` command run by the operator)."""
    step = progress or (lambda _message: None)
    figures = editorial.RecordingFigures()
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
    rendered = report_file(year=year, language=language, edition=edition, fmt=fmt, version=version)
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
