"""The report's texts: each chapter's narrative, drafted from the institutions'
accepted submissions for the chapter's reporting sections (profile `sources`)."""

from __future__ import annotations

from collections.abc import Mapping

from thb.interop.models import SubmissionSection, SubmissionStatus
from thb.profiles import get_profile
from thb.reports.document import Narrative


def _paragraphs(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]


def narratives(year: int, language: str) -> Mapping[str, Narrative]:
    """{"<chapter>.<slot>": Narrative} for the year: the drafts compiled from the
    accepted submissions, in the profile's chapter order."""
    profile = get_profile()
    field = "text_en" if language.startswith("en") else "text_lv"
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
        slots = [block.narrative for block in chapter.blocks if block.narrative]
        if not slots:
            continue
        paragraphs: list[str] = []
        contributors: list[str] = []
        for source in chapter.sources:
            for section in by_section.get(source, []):
                text = getattr(section, field)
                if text.strip():
                    paragraphs += _paragraphs(text)
                    contributors.append(section.submission.institution.display_name(language))
        out[f"{chapter.id}.{slots[0]}"] = Narrative(
            slot=slots[0],
            paragraphs=paragraphs,
            source="draft" if paragraphs else "",
            contributors=contributors,
        )
    return out
