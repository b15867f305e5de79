"""An institution's yearly submission to the national coordinator: its narrative per
report section, and the review trail (submitted, returned with a comment, accepted,
reopened). Import jobs: an uploaded file waiting for, or run by, the background
import runner, with its progress and result."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from thb.accounts.models import Institution
from thb.core.fields import EncryptedTextField
from thb.core.languages import country_language, in_language


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
    # {language code: text} (thb.core.validators.language_map, in submission_save_texts).
    texts = models.JSONField(_("texts"), default=dict, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "section"], name="submission_section_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submission} {self.section}"

    def text(self, language: str) -> str:
        # No other language's text: the report's draft in a language is written from
        # the texts in that language (thb/reports/editorial.py).
        return in_language(self.texts, language, fallback=False)


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


class ImportJobStatus(models.TextChoices):
    QUEUED = "queued", _("waiting")
    RUNNING = "running", _("running")
    DONE = "done", _("finished")
    FAILED = "failed", _("failed")


class ImportJobFailure(models.TextChoices):
    """Why a job ended without a result (the file's own errors are a result, not this)."""

    INTERRUPTED = "interrupted", _("The import was interrupted (the server stopped).")
    NOT_PERMITTED = "not_permitted", _("Your account may no longer import this type.")
    UNEXPECTED = "unexpected", _("An unexpected error stopped the import.")


class ImportJob(models.Model):
    """One uploaded file imported in the background (thb.interop.runner). The file is
    kept, encrypted like identifying fields (a victim-case file holds names), only
    until the job ends; the result keeps counts and errors, whose values of
    identifying columns the import engine never repeats."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="import_jobs",
    )
    import_type = models.CharField(_("type of records"), max_length=60)
    file_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    size = models.PositiveIntegerField(_("size in bytes"))
    dry_run = models.BooleanField(_("check only"), default=False)
    # Further keyword options of the import engine chosen on the upload form.
    options = models.JSONField(default=dict, blank=True)
    # The language of the uploader: errors are written in it.
    language = models.CharField(max_length=10, default=country_language)
    # The uploaded bytes, base64, encrypted at rest; emptied when the job ends.
    data = EncryptedTextField(blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportJobStatus.choices, default=ImportJobStatus.QUEUED
    )
    failure = models.CharField(max_length=20, choices=ImportJobFailure.choices, blank=True)
    done = models.PositiveIntegerField(_("rows done"), default=0)
    total = models.PositiveIntegerField(_("rows"), default=0)
    # The engine's ImportResult: counts, outcome and the listed errors.
    result = models.JSONField(default=dict, blank=True)
    # host:pid of the process running the job, to recognise one left by a stopped process.
    worker = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [
            # "My imports": a user's jobs, newest first.
            models.Index(fields=["owner", "-created_at"]),
            # The runner's queue (oldest waiting job first) and its check for stale jobs.
            models.Index(fields=["status", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.import_type} {self.file_name} ({self.status})"

    @property
    def active(self) -> bool:
        return self.status in (ImportJobStatus.QUEUED, ImportJobStatus.RUNNING)
