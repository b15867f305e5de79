"""The editorial record of the annual report: the coordinator's chapter texts and the
frozen versions (editions) of a year's report.

A chapter's text starts as a draft compiled from the institutions' accepted
submissions (thb/reports/editorial.py); once the coordinator edits it, the edited text
(ChapterText) wins. Marking the report final freezes a ReportVersion: the figures and
texts as published, with a content hash, so a later edition can say which figures
changed since (its revision note)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from thb.core.languages import in_language


class ChapterText(models.Model):
    """The coordinator's text of one narrative slot of a chapter, in each of the
    profile's languages. A language without its text keeps that language's draft."""

    year = models.PositiveSmallIntegerField(_("year"))
    chapter = models.CharField(_("chapter"), max_length=40)
    slot = models.CharField(_("text slot"), max_length=40)
    # {language code: text} (thb.core.validators.language_map, in chapter_text_save).
    texts = models.JSONField(_("texts"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["year", "chapter", "slot"]
        verbose_name = _("chapter text")
        verbose_name_plural = _("chapter texts")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "chapter", "slot"], name="chapter_text_once_per_slot"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.chapter}.{self.slot}"

    def text(self, language: str) -> str:
        # No other language's text: the language's draft is shown instead (narratives).
        return in_language(self.texts, language, fallback=False)


class ReportVersion(models.Model):
    """A frozen edition of a year's report: numbered 1, 2, ... per year.

    `figures` maps each year the report reads ("2020", and the earlier years its
    tables and summary compare with) to {figure id: value}; `texts` maps each language
    to {"<chapter>.<slot>": {paragraphs, source, contributors}}; `content_hash` is the
    SHA-256 of the canonical JSON of both (thb/reports/editorial.py: content_hash), so
    anyone holding the files can check a version was not altered. `revisions` lists the
    figures of the year that changed since the previous version: [{id, old, new}]."""

    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("version"))
    frozen_at = models.DateTimeField(_("frozen at"))
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("frozen by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    figures = models.JSONField(_("figures"))
    texts = models.JSONField(_("texts"))
    # Years with records when frozen: the earlier-year columns the version shows.
    record_years = models.JSONField(_("years with records"), default=list, blank=True)
    revisions = models.JSONField(_("revisions"), default=list, blank=True)
    content_hash = models.CharField(_("content hash (SHA-256)"), max_length=64)
    # The coordinator re-opened the year for corrections after this version (a closed
    # year's pages show its latest version: thb/reports/cache.py, docs/report.md).
    reopened_at = models.DateTimeField(_("re-opened at"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("re-opened by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reopen_reason = models.TextField(_("reason for re-opening"), blank=True)

    class Meta:
        ordering = ["year", "number"]
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="report_version_once"),
        ]

    def __str__(self) -> str:
        return f"{self.year} v{self.number}"


class YearFigures(models.Model):
    """The figures of a year as computed from the records at one generation of the
    records (thb/core/changes.py), kept so that no page computes the report per
    request (thb/reports/cache.py). Derived data: dropping a row only costs one
    computation."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    # The records' generation the figures were computed at (-1: being computed for the
    # first time, nothing stored yet).
    generation = models.BigIntegerField(_("records generation"), default=-1)
    figures = models.JSONField(_("figures"), default=dict)
    # {language: {figure id: basis label}}: the figures resting on aggregate returns.
    notes = models.JSONField(_("notes"), default=dict)
    computed_at = models.DateTimeField(_("computed at"), null=True)
    # A process computing the figures now: the others wait for its result, not all
    # compute at once; a claim older than this is abandoned (the process died).
    claimed_until = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("stored figures of a year")
        verbose_name_plural = _("stored figures of the years")

    def __str__(self) -> str:
        return f"{self.year} @{self.generation}"
