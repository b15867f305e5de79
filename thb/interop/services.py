"""Writes of yearly submissions and of import jobs. Each submission transition is
atomic, checks the actor's role and institution, writes the submission's trail and one
audit event. An import job is queued by the uploader (one audit event), claimed and
run by a runner (thb.interop.runner), whose import writes its own audit event."""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import socket
import threading
from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from thb.accounts.models import User
from thb.audit.models import Action
from thb.audit.services import audit_record
from thb.core import validators
from thb.core.languages import country_language, language_name
from thb.interop.importer import ImportResult, import_file
from thb.interop.models import (
    ImportJob,
    ImportJobFailure,
    ImportJobStatus,
    Submission,
    SubmissionEvent,
    SubmissionEventKind,
    SubmissionSection,
    SubmissionStatus,
)
from thb.interop.policy import can_change_submission, can_import, can_review, can_submit
from thb.interop.registry import ImportType, registered
from thb.profiles import get_profile

logger = logging.getLogger(__name__)


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


def submission_texts_check(
    texts: Mapping[str, Mapping[str, str]],
) -> dict[str, dict[str, str]]:
    """The narrative checked: {section code: {language code: text}}, each a profile
    report section, each text a few pages of the report at most (limits.yaml:
    text.chapter) in a profile language. Every failure at once, named by section."""
    known = {item.code for item in get_profile().reporting.report_sections}
    errors = validators.Collect()
    checked: dict[str, dict[str, str]] = {}
    for code, by_language in texts.items():
        with errors:
            if code not in known:
                raise ValidationError(
                    {code: _("Unknown report section “%(code)s”.") % {"code": code}}
                )
            checked[code] = validators.language_map(by_language, kind="chapter", field=code)
    errors.raise_if_any()
    return checked


@transaction.atomic
def submission_save_texts(
    *, actor: User, submission: Submission, texts: Mapping[str, Mapping[str, str]]
) -> Submission:
    """Store the narrative: {section code: {language code: text}}."""
    _require_own(actor, submission)
    _require_status(submission, SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)
    changed = []
    for code, checked in submission_texts_check(texts).items():
        section, _created = SubmissionSection.objects.get_or_create(
            submission=submission, section=code
        )
        if section.texts != checked:
            section.texts = checked
            section.save(update_fields=["texts"])
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


def submission_submit_check(
    texts: Iterable[Mapping[str, str]], errors: validators.Collect | None = None
) -> None:
    """The rule of sending a submission: at least one section has its text in the
    country's language. `texts`: each section's {language code: text}.
    The service checks the stored texts; the texts form the ones being sent with it
    (with `errors`, a form's collector, the failure is added to it instead of raised)."""
    if any((section.get(country_language()) or "").strip() for section in texts):
        return
    error = ValidationError(
        {
            "sections": _(
                "Write the text of at least one report section in the country's language "
                "(%(language)s)."
            )
            % {"language": language_name(country_language())}
        }
    )
    if errors is None:
        raise error
    errors.add(error)


@transaction.atomic
def submission_submit(*, actor: User, submission: Submission) -> Submission:
    _require_own(actor, submission)
    _require_status(submission, SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)
    submission_submit_check(submission.sections.values_list("texts", flat=True))
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
    validators.text(comment, field="comment")
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
    validators.text(reason, field="reason")
    submission.reviewed_at = timezone.now()
    submission.review_comment = reason
    return _transition(
        actor, submission, SubmissionEventKind.REOPENED, SubmissionStatus.RETURNED, reason
    )


# Import jobs


def worker_name() -> str:
    """host:pid of this process, recorded on the jobs it runs."""
    return f"{socket.gethostname()}:{os.getpid()}"


def import_job_create(
    *,
    actor: User,
    import_type: ImportType,
    file_name: str,
    data: bytes,
    dry_run: bool = False,
    options: Mapping[str, Any] | None = None,
    language: str = "",
) -> ImportJob:
    """Queue a file for the import runner. The bytes are kept encrypted until the job
    ends; the audit event names the type and the file's SHA-256."""
    if not can_import(actor, import_type):
        raise PermissionDenied(_("Your role may not import this type of record."))
    with transaction.atomic():
        job = ImportJob.objects.create(
            owner=actor,
            import_type=import_type.name,
            file_name=file_name[:255],
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            dry_run=dry_run,
            options=dict(options or {}),
            language=language or country_language(),
            data=base64.b64encode(data).decode("ascii"),
        )
        audit_record(
            actor=actor,
            action=Action.CREATE,
            target=job,
            details={
                "type": import_type.name,
                "sha256": job.sha256,
                "size": job.size,
                "dry_run": dry_run,
            },
        )
    return job


def import_job_claim(*, worker: str, pk: int | None = None) -> ImportJob | None:
    """Mark the oldest waiting job (or job `pk`) as running for `worker` and return it;
    None when there is none or another runner took it first."""
    waiting = ImportJob.objects.filter(status=ImportJobStatus.QUEUED)
    if pk is not None:
        waiting = waiting.filter(pk=pk)
    with transaction.atomic():
        job_id = (
            waiting.select_for_update(skip_locked=True)
            .order_by("created_at", "id")
            .values_list("pk", flat=True)
            .first()
        )
        if job_id is None:
            return None
        now = timezone.now()
        # Conditional, so that two runners never both take a job (SQLite has no row locks).
        claimed = ImportJob.objects.filter(pk=job_id, status=ImportJobStatus.QUEUED).update(
            status=ImportJobStatus.RUNNING, worker=worker[:200], started_at=now, heartbeat_at=now
        )
    if not claimed:
        return None
    return ImportJob.objects.defer("data").select_related("owner").get(pk=job_id)


def import_job_run(
    *, job: ImportJob, progress: Callable[[int, int], None] | None = None
) -> ImportJob:
    """Run a claimed job to its end: the import engine (all rows or none, with its own
    audit event) as the job's owner, in the owner's language; then the result is
    stored and the file deleted."""
    data = base64.b64decode(ImportJob.objects.values_list("data", flat=True).get(pk=job.pk))
    owner = job.owner
    import_type = registered().get(job.import_type)
    if import_type is None or not owner.is_active or not can_import(owner, import_type):
        return _import_job_fail(job, ImportJobFailure.NOT_PERMITTED)
    try:
        with translation.override(job.language):
            result = import_file(
                actor=owner,
                import_type=import_type,
                file_name=job.file_name,
                data=data,
                dry_run=job.dry_run,
                progress=progress,
                **job.options,
            )
    except PermissionDenied:
        return _import_job_fail(job, ImportJobFailure.NOT_PERMITTED)
    except Exception:
        # A defect, not the file's fault: nothing was saved (the import is one
        # transaction); the user sees that the job failed, the developers the log.
        logger.exception("import job %s failed", job.pk)
        return _import_job_fail(job, ImportJobFailure.UNEXPECTED)
    job.status = ImportJobStatus.DONE
    job.result = import_result_summary(result)
    job.done = job.total = result.rows
    job.data = ""
    job.finished_at = job.heartbeat_at = timezone.now()
    job.save(
        update_fields=["status", "result", "done", "total", "data", "finished_at", "heartbeat_at"]
    )
    return job


def import_result_summary(result: ImportResult) -> dict[str, Any]:
    """The stored form of an ImportResult: counts, outcome and the listed errors, whose
    values of identifying columns the engine has already hidden."""
    return {
        "ok": result.ok,
        "dry_run": result.dry_run,
        "outcome": result.outcome,
        "rows": result.rows,
        "created": result.created,
        "existing": result.existing,
        "errors": [
            {"line": e.line, "column": e.column, "value": e.value, "message": str(e.message)}
            for e in result.errors
        ],
        "more_errors": result.more_errors,
        "skipped_columns": list(result.skipped_columns),
    }


def _import_job_fail(job: ImportJob, failure: str) -> ImportJob:
    now = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJobStatus.FAILED, failure=failure, data="", finished_at=now, heartbeat_at=now
    )
    job.refresh_from_db(fields=["status", "failure", "finished_at", "heartbeat_at"])
    return job


_progress_connections = threading.local()


def import_job_progress(*, job_id: int, done: int, total: int) -> bool:
    """Record a running job's progress, which also shows that its process is alive.
    Outside a transaction it is a plain update. Inside the import's own transaction it
    goes through a second connection on PostgreSQL (row locks: it waits for nothing),
    so that the page sees it before the import commits; SQLite has one writer at a
    time, so there the progress waits for the next write outside the transaction
    (False). The runner's own process also keeps it in memory (thb.interop.runner)."""
    now = timezone.now()
    if not connection.in_atomic_block:
        ImportJob.objects.filter(pk=job_id).update(done=done, total=total, heartbeat_at=now)
        return True
    if connection.vendor != "postgresql":
        return False
    side = _progress_connection()
    table = side.ops.quote_name(ImportJob._meta.db_table)
    with side.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET done = %s, total = %s, heartbeat_at = %s WHERE id = %s",  # noqa: S608
            [done, total, now, job_id],
        )
    return True


def _progress_connection() -> BaseDatabaseWrapper:
    side: BaseDatabaseWrapper | None = getattr(_progress_connections, "wrapper", None)
    if side is None:
        side = connections.create_connection(connection.alias)
        _progress_connections.wrapper = side
    return side


def import_job_progress_close() -> None:
    """Close this thread's second connection, if progress opened one."""
    side: BaseDatabaseWrapper | None = getattr(_progress_connections, "wrapper", None)
    if side is not None:
        side.close()
        _progress_connections.wrapper = None


def import_jobs_recover() -> list[int]:
    """Mark as failed the running jobs whose process has stopped (a restart during an
    import): the import was one transaction, so nothing of it was saved, and the
    stored file is deleted. A job of this machine is stopped when its process is gone;
    a job of another machine when it has not reported for THB_IMPORT_STALE_MINUTES."""
    stale_before = timezone.now() - timedelta(minutes=settings.THB_IMPORT_STALE_MINUTES)
    host = socket.gethostname()
    stopped = []
    running = ImportJob.objects.filter(status=ImportJobStatus.RUNNING).defer("data")
    for job in running:
        job_host, _sep, pid = job.worker.rpartition(":")
        gone = job_host == host and pid.isdigit() and not _process_alive(int(pid))
        if gone or job.heartbeat_at is None or job.heartbeat_at < stale_before:
            stopped.append(job.pk)
    if stopped:
        ImportJob.objects.filter(pk__in=stopped, status=ImportJobStatus.RUNNING).update(
            status=ImportJobStatus.FAILED,
            failure=ImportJobFailure.INTERRUPTED,
            data="",
            finished_at=timezone.now(),
        )
        logger.warning("import jobs %s were interrupted and are marked failed", stopped)
    return stopped


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True
