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


class ChapterText(models.Model):
    """The coordinator's text of one narrative slot of a chapter, in both languages.
    An empty language keeps that language's draft."""

    year = models.PositiveSmallIntegerField(_("year"))
    chapter = models.CharField(_("chapter"), max_length=40)
    slot = models.CharField(_("text slot"), max_length=40)
    text_lv = models.TextField(_("text (Latvian)"), blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)
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
        return self.text_en if language.startswith("en") else self.text_lv


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

    class Meta:
        ordering = ["year", "number"]
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="report_version_once"),
        ]

    def __str__(self) -> str:
        return f"{self.year} v{self.number}"
