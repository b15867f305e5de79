"""An institution's yearly submission to the national coordinator: its narrative per
report section, and the review trail (submitted, returned with a comment, accepted,
reopened)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from thb.accounts.models import Institution


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned for changes")
    ACCEPTED = "accepted", _("accepted")


class Submission(models.Model):
    """One institution's contribution to the annual report for one year."""

    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    # Lateness is judged by the first submission: a return for changes after the due
    # date does not make an institution that submitted on time late.
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    # The coordinator's latest comment when returning (kept until the next return).
    review_comment = models.TextField(_("coordinator's comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "institution__name"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(fields=["institution", "year"], name="submission_once_a_year"),
        ]
        indexes = [
            # The coordinator's overview: all submissions of a year by status.
            models.Index(fields=["year", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.institution.code} {self.year}"

    @property
    def editable(self) -> bool:
        return self.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)


class SubmissionSection(models.Model):
    """The institution's narrative for one report section (a profile code)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="sections")
    section = models.CharField(_("report section"), max_length=40)
    text_lv = models.TextField(_("text (Latvian)"), blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "section"], name="submission_section_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submission} {self.section}"


class SubmissionEventKind(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned for changes")
    ACCEPTED = "accepted", _("accepted")
    REOPENED = "reopened", _("reopened")


class SubmissionEvent(models.Model):
    """The review trail shown on the submission (the audit log keeps its own copy)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=SubmissionEventKind.choices)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.submission} {self.kind}"
