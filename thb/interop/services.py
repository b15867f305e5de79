"""Writes of yearly submissions. Each transition is atomic, checks the actor's role and
institution, writes the submission's trail and one audit event."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thb.accounts.models import User
from thb.audit.models import Action
from thb.audit.services import audit_record
from thb.interop.models import (
    Submission,
    SubmissionEvent,
    SubmissionEventKind,
    SubmissionSection,
    SubmissionStatus,
)
from thb.interop.policy import can_change_submission, can_review, can_submit
from thb.profiles import get_profile

MAX_TEXT = 50_000  # characters per section and language: a few pages of the report


def _check_year(year: int) -> None:
    if not 2000 <= year <= timezone.localdate().year:
        raise ValidationError({"year": _("Choose a year from 2000 to the current year.")})


def _require_own(actor: User, submission: Submission) -> None:
    if not can_change_submission(actor, submission):
        raise PermissionDenied(_("Only the institution's reporters change its submission."))


def _require_reviewer(actor: User) -> None:
    if not can_review(actor):
        raise PermissionDenied(_("Only the coordinator reviews submissions."))


def _require_status(submission: Submission, *statuses: str) -> None:
    if submission.status not in statuses:
        raise ValidationError(
            {
                "status": _("Not possible while the submission is %(status)s.")
                % {"status": submission.get_status_display()}
            }
        )


def _transition(
    actor: User, submission: Submission, kind: str, status: str, comment: str = ""
) -> Submission:
    submission.status = status
    submission.save(
        update_fields=[
            "status",
            "submitted_at",
            "first_submitted_at",
            "reviewed_at",
            "review_comment",
            "updated_at",
        ]
    )
    SubmissionEvent.objects.create(submission=submission, actor=actor, kind=kind, comment=comment)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        target=submission,
        details={
            "transition": kind,
            "institution": submission.institution.code,
            "year": submission.year,
        },
    )
    return submission


@transaction.atomic
def submission_start(*, actor: User, year: int) -> Submission:
    """The reporter's institution's submission for the year, created as a draft if new."""
    if not can_submit(actor):
        raise PermissionDenied(_("Only an institution reporter prepares a submission."))
    _check_year(year)
    submission, created = Submission.objects.get_or_create(institution=actor.institution, year=year)
    if created:
        audit_record(
            actor=actor,
            action=Action.CREATE,
            target=submission,
            details={"institution": submission.institution.code, "year": year},
        )
    return submission


@transaction.atomic
def submission_save_texts(
    *, actor: User, submission: Submission, texts: Mapping[str, tuple[str, str]]
) -> Submission:
    """Store the narrative: {section code: (Latvian text, English text)}."""
    _require_own(actor, submission)
    _require_status(submission, SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)
    known = {item.code for item in get_profile().reporting.report_sections}
    changed = []
    for code, (text_lv, text_en) in texts.items():
        if code not in known:
            raise ValidationError({code: _("Unknown report section “%(code)s”.") % {"code": code}})
        if len(text_lv) > MAX_TEXT or len(text_en) > MAX_TEXT:
            raise ValidationError(
                {code: _("A text may have at most %(max)d characters.") % {"max": MAX_TEXT}}
            )
        section, _created = SubmissionSection.objects.get_or_create(
            submission=submission, section=code
        )
        if (section.text_lv, section.text_en) != (text_lv.strip(), text_en.strip()):
            section.text_lv, section.text_en = text_lv.strip(), text_en.strip()
            section.save(update_fields=["text_lv", "text_en"])
            changed.append(code)
    submission.save(update_fields=["updated_at"])
    if changed:
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            target=submission,
            details={"sections": changed, "year": submission.year},
        )
    return submission


@transaction.atomic
def submission_submit(*, actor: User, submission: Submission) -> Submission:
    _require_own(actor, submission)
    _require_status(submission, SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)
    if not submission.sections.exclude(text_lv="").exists():
        raise ValidationError(
            {"sections": _("Write the Latvian text of at least one report section.")}
        )
    now = timezone.now()
    submission.submitted_at = now
    submission.first_submitted_at = submission.first_submitted_at or now
    return _transition(actor, submission, SubmissionEventKind.SUBMITTED, SubmissionStatus.SUBMITTED)


@transaction.atomic
def submission_return(*, actor: User, submission: Submission, comment: str) -> Submission:
    """Send the submission back to the institution with what to change."""
    _require_reviewer(actor)
    _require_status(submission, SubmissionStatus.SUBMITTED)
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": _("Say what the institution should change.")})
    submission.reviewed_at = timezone.now()
    submission.review_comment = comment
    return _transition(
        actor, submission, SubmissionEventKind.RETURNED, SubmissionStatus.RETURNED, comment
    )


@transaction.atomic
def submission_accept(*, actor: User, submission: Submission) -> Submission:
    """Accept and lock: the institution's records of the year can no longer change."""
    _require_reviewer(actor)
    _require_status(submission, SubmissionStatus.SUBMITTED)
    submission.reviewed_at = timezone.now()
    return _transition(actor, submission, SubmissionEventKind.ACCEPTED, SubmissionStatus.ACCEPTED)


@transaction.atomic
def submission_reopen(*, actor: User, submission: Submission, reason: str) -> Submission:
    """Unlock an accepted submission; it goes back to the institution as returned."""
    _require_reviewer(actor)
    _require_status(submission, SubmissionStatus.ACCEPTED)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for reopening.")})
    submission.reviewed_at = timezone.now()
    submission.review_comment = reason
    return _transition(
        actor, submission, SubmissionEventKind.REOPENED, SubmissionStatus.RETURNED, reason
    )
