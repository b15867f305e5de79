"""The report's texts and editions.

Each chapter's narrative is drafted from the institutions' accepted submissions for
the chapter's reporting sections (profile `sources`); the coordinator's edited text
(ChapterText) wins over the draft. Marking the report final freezes a ReportVersion
(figures, texts, content hash); a later edition of the year lists the figures that
changed since the last frozen version (its revision note), in the document and in
its metadata. Writes are in thb/reports/services.py.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import asdict
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import override

from thb.core import formats
from thb.core.languages import languages
from thb.interop.models import SubmissionSection, SubmissionStatus
from thb.profiles import get_profile
from thb.reports import formatting
from thb.reports.catalogue import catalogue, compute_figures
from thb.reports.document import Document, Edition, Narrative, Number
from thb.reports.models import ChapterText, ReportVersion

REVISION_SLOT = "revision_note"


def _paragraphs(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]


def slots() -> list[tuple[str, str]]:
    """(chapter, slot) of every narrative slot of the layout, in the report's order."""
    profile = get_profile()
    return [
        (chapter_id, block.narrative)
        for chapter_id in profile.report.chapters
        for block in profile.chapter(chapter_id).blocks
        if block.narrative
    ]


def drafts(year: int, language: str) -> dict[str, Narrative]:
    """{"<chapter>.<slot>": Narrative} compiled from the accepted submissions: each
    chapter's first slot gets the texts of its reporting sections, institution by
    institution."""
    profile = get_profile()
    sections = (
        SubmissionSection.objects.filter(
            submission__year=year, submission__status=SubmissionStatus.ACCEPTED
        )
        .select_related("submission__institution")
        .order_by("submission__institution__name", "section")
    )
    by_section: dict[str, list[SubmissionSection]] = {}
    for section in sections:
        by_section.setdefault(section.section, []).append(section)
    out: dict[str, Narrative] = {}
    for chapter in profile.report_chapters:
        chapter_slots = [block.narrative for block in chapter.blocks if block.narrative]
        if not chapter_slots:
            continue
        paragraphs: list[str] = []
        contributors: list[str] = []
        for source in chapter.sources:
            for section in by_section.get(source, []):
                text = section.text(language)
                if text.strip():
                    paragraphs += _paragraphs(text)
                    contributors.append(section.submission.institution.display_name(language))
        out[f"{chapter.id}.{chapter_slots[0]}"] = Narrative(
            slot=chapter_slots[0],
            paragraphs=paragraphs,
            source="draft" if paragraphs else "",
            contributors=contributors,
        )
    return out


def narratives(year: int, language: str) -> Mapping[str, Narrative]:
    """{"<chapter>.<slot>": Narrative} for the year: the coordinator's edited text where
    there is one in this language, else the draft from the accepted submissions."""
    out = drafts(year, language)
    for text in ChapterText.objects.filter(year=year):
        body = text.text(language)
        if not body.strip():
            continue
        key = f"{text.chapter}.{text.slot}"
        draft = out.get(key)
        out[key] = Narrative(
            slot=text.slot,
            paragraphs=_paragraphs(body),
            source="edited",
            contributors=draft.contributors if draft else [],
        )
    return out


# Frozen versions


def canonical_json(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_hash(figures: Mapping[str, Any], texts: Mapping[str, Any]) -> str:
    """SHA-256 over the canonical JSON (sorted keys, no spaces, UTF-8) of a version's
    figures and texts: recomputing it from a version's files shows it is unaltered."""
    body = canonical_json({"figures": figures, "texts": texts})
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def texts_snapshot(year: int) -> dict[str, dict[str, dict[str, Any]]]:
    """{language: {"<chapter>.<slot>": {paragraphs, source, contributors, slot}}}."""
    return {
        language: {key: asdict(narrative) for key, narrative in narratives(year, language).items()}
        for language in languages()
    }


class RecordingFigures:
    """A figure source that remembers every year the builder read, so a frozen version
    holds the earlier years its tables and summary show as well."""

    def __init__(self, source: Callable[[int], Mapping[str, Number]] = compute_figures) -> None:
        self.source = source
        self.years: dict[int, dict[str, Number]] = {}

    def __call__(self, year: int) -> Mapping[str, Number]:
        if year not in self.years:
            self.years[year] = dict(self.source(year))
        return self.years[year]


def changed_figures(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[dict[str, Any]]:
    """[{id, old, new}] for every figure whose value differs, in the catalogue's order
    (a figure missing on one side counts as 0 there)."""
    ids = list(catalogue())
    ids += sorted((set(old) | set(new)) - set(ids))
    return [
        {"id": figure_id, "old": old.get(figure_id, 0), "new": new.get(figure_id, 0)}
        for figure_id in ids
        if old.get(figure_id, 0) != new.get(figure_id, 0)
    ]


def latest_version(year: int) -> ReportVersion | None:
    return ReportVersion.objects.filter(year=year).order_by("-number").first()


def frozen_figures(version: ReportVersion) -> Callable[[int], Mapping[str, Number]]:
    stored: Mapping[str, Mapping[str, Number]] = version.figures

    def figures_of(year: int) -> Mapping[str, Number]:
        return stored.get(str(year), {})

    return figures_of


def frozen_narratives(version: ReportVersion) -> Callable[[int, str], Mapping[str, Narrative]]:
    def narratives_of(year: int, language: str) -> Mapping[str, Narrative]:
        texts = version.texts.get(language) or version.texts.get(languages()[0], {})
        return {key: Narrative(**value) for key, value in texts.items()}

    return narratives_of


def _revision_entries(
    changes: list[dict[str, Any]], language: str, edition: Edition
) -> list[dict[str, Any]]:
    """The revision note's entries with each figure's definition. In the public
    edition a count of persons is named but its values are left out: an old and a new
    value would let a suppressed small count be worked out."""
    declared = catalogue()
    entries = []
    for change in changes:
        figure = declared.get(change["id"])
        hide = edition == "public" and (figure is None or figure.counts_persons)
        entries.append(
            {
                "id": change["id"],
                "definition": figure.definition.get(language) if figure else change["id"],
                "old": None if hide else change["old"],
                "new": None if hide else change["new"],
            }
        )
    return entries


def _revision_note(entries: list[dict[str, Any]], since: ReportVersion, language: str) -> Narrative:
    with override(language):
        intro = _("Revision note: figures changed since version %(number)s of %(date)s.") % {
            "number": since.number,
            "date": formats.day(since.frozen_at, language),
        }
        lines = [intro]
        for entry in entries:
            if entry["old"] is None:
                lines.append(f"{entry['id']} ({entry['definition']}): {_('revised')}")
            else:
                old = formatting.number(entry["old"], language)
                new = formatting.number(entry["new"], language)
                lines.append(f"{entry['id']} ({entry['definition']}): {old} → {new}")
        if not entries:
            lines.append(_("No figure has changed."))
    return Narrative(slot=REVISION_SLOT, paragraphs=lines, source="revision")


def _add_revision_note(
    document: Document, changes: list[dict[str, Any]], since: ReportVersion
) -> None:
    entries = _revision_entries(changes, document.language, document.edition)
    document.metadata["revised_since"] = {
        "version": since.number,
        "frozen_at": since.frozen_at.isoformat(timespec="seconds"),
        "content_hash": since.content_hash,
    }
    document.metadata["revisions"] = entries
    if document.chapters:
        note = _revision_note(entries, since, document.language)
        document.chapters[0].blocks.insert(0, note)


def report_document(
    *,
    year: int,
    language: str,
    edition: Edition = "internal",
    version: ReportVersion | None = None,
    figures: RecordingFigures | None = None,
) -> Document:
    """The annual report as published: a frozen version rebuilt from its own figures
    and texts, or (version None) the current edition from the records, which after a
    freeze carries a revision note against the last frozen version. `figures` may hold
    figures computed already (the command computes them first, to show progress)."""
    from thb.reports.builder import build_document

    if version is not None:
        document = build_document(
            year=version.year,
            language=language,
            edition=edition,
            figures_of=frozen_figures(version),
            narratives=frozen_narratives(version),
            years_with_records=set(version.record_years),
        )
        document.metadata["version"] = {
            "number": version.number,
            "frozen_at": version.frozen_at.isoformat(timespec="seconds"),
            "content_hash": version.content_hash,
        }
        previous = (
            ReportVersion.objects.filter(year=version.year, number__lt=version.number)
            .order_by("-number")
            .first()
        )
        if previous is not None:
            _add_revision_note(document, list(version.revisions), previous)
        return document
    figures = figures or RecordingFigures()
    document = build_document(year=year, language=language, edition=edition, figures_of=figures)
    document.metadata["version"] = None
    latest = latest_version(year)
    if latest is not None:
        changes = changed_figures(latest.figures.get(str(year), {}), figures(year))
        _add_revision_note(document, changes, latest)
    return document
