"""Writes of the annual report's editorial record: the coordinator's chapter texts and
the frozen versions. Keyword-only, `actor=`, atomic, validated, one audit event each."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from thb.accounts.models import User
from thb.audit.models import Action
from thb.audit.services import audit_record
from thb.core import validators
from thb.core.languages import country_language
from thb.reports import cache, editorial
from thb.reports.models import ChapterText, ReportVersion
from thb.reports.policy import can_edit_report


def _check_year(year: int) -> None:
    validators.year(year, field="year")


@transaction.atomic
def chapter_text_save(
    *, actor: User, year: int, chapter: str, slot: str, texts: Mapping[str, str]
) -> ChapterText:
    """Set the coordinator's text of one narrative slot: {language code: text}, in
    the profile's languages (a language without its text falls back to the draft
    compiled from the submissions in that language)."""
    if not can_edit_report(actor):
        raise PermissionDenied
    _check_year(year)
    if (chapter, slot) not in editorial.slots():
        raise ValidationError({"chapter": f"the report has no text slot {chapter}.{slot}"})
    checked = validators.language_map(texts, kind="chapter", field="texts")
    text, created = ChapterText.objects.select_for_update().get_or_create(
        year=year, chapter=chapter, slot=slot
    )
    changed = sorted(
        code
        for code in {*text.texts, *checked}
        if text.texts.get(code, "") != checked.get(code, "")
    )
    text.texts = checked
    text.updated_by = actor
    text.full_clean()
    text.save()
    audit_record(
        actor=actor,
        action=Action.CREATE if created else Action.UPDATE,
        target=text,
        details={"year": year, "chapter": chapter, "slot": slot, "languages": changed},
    )
    return text


@transaction.atomic
def report_version_freeze(*, actor: User, year: int) -> ReportVersion:
    """Mark the year's report final: freeze its figures (and those of the earlier years
    it compares with), its texts in every language and their content hash as the next
    version. From version 2 on, the version lists the figures changed since the last."""
    if not can_edit_report(actor):
        raise PermissionDenied
    _check_year(year)
    from thb.reports.builder import build_document
    from thb.reports.years import record_years

    years = sorted(record_years())
    # The figures from the records, as stored at their current generation (the same
    # values compute_figures gives, computed once).
    figures = editorial.RecordingFigures(cache.year_figures)
    build_document(
        year=year,
        language=country_language(),
        figures_of=figures,
        years_with_records=set(years),
    )
    frozen = {str(y): values for y, values in sorted(figures.years.items())}
    texts = editorial.texts_snapshot(year)
    # Versions are numbered per year; the lock keeps two freezes from taking one number.
    last = (
        ReportVersion.objects.select_for_update()
        .filter(year=year)
        .aggregate(number=Max("number"))["number"]
    )
    previous = ReportVersion.objects.filter(year=year, number=last).first() if last else None
    revisions = (
        editorial.changed_figures(previous.figures.get(str(year), {}), frozen[str(year)])
        if previous is not None
        else []
    )
    version = ReportVersion(
        year=year,
        number=(last or 0) + 1,
        frozen_at=timezone.now(),
        frozen_by=actor,
        figures=frozen,
        texts=texts,
        record_years=years,
        revisions=revisions,
        content_hash=editorial.content_hash(frozen, texts),
    )
    version.full_clean()
    version.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        target=version,
        details={
            "year": year,
            "version": version.number,
            "content_hash": version.content_hash,
            "revised_figures": [change["id"] for change in revisions],
        },
    )
    return version


@transaction.atomic
def report_year_reopen(*, actor: User, year: int, reason: str) -> ReportVersion:
    """Re-open a closed year for corrections: its pages show the figures from the
    records again until the report is marked final once more (a new version, whose
    revision note lists the figures the corrections changed)."""
    if not can_edit_report(actor):
        raise PermissionDenied
    _check_year(year)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for re-opening.")})
    validators.text(reason, field="reason")
    version = cache.closed_version(year)
    if version is None:
        raise ValidationError({"year": _("The %(year)s report is not closed.") % {"year": year}})
    version = ReportVersion.objects.select_for_update().get(pk=version.pk)
    version.reopened_at = timezone.now()
    version.reopened_by = actor
    version.reopen_reason = reason
    version.save(update_fields=["reopened_at", "reopened_by", "reopen_reason"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        target=version,
        details={"year": year, "version": version.number, "reopened": True},
    )
    return version
