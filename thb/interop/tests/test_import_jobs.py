"""Uploads run as import jobs: queued with the file encrypted at rest, claimed by one
runner, run as the uploader, the file deleted at the end; the pages follow a job only
for its owner; a job left running by a stopped process is marked failed."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import socket
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.urls import reverse
from django.utils import timezone

from thb.audit.models import AuditEvent
from thb.interop import runner, services
from thb.interop.models import ImportJob, ImportJobFailure, ImportJobStatus
from thb.interop.registry import get_import_type
from thb.interop.templates_files import example_csv
from thb.victims.models import Case

VICTIM_CASES = get_import_type("victim_cases")


def _csv(surname: str = "Ozola") -> bytes:
    return example_csv(VICTIM_CASES).replace("Ozola", surname).encode("utf-8")


def _queue(actor, data: bytes | None = None, dry_run: bool = False) -> ImportJob:
    return services.import_job_create(
        actor=actor,
        import_type=VICTIM_CASES,
        file_name="cases.csv",
        data=_csv() if data is None else data,
        dry_run=dry_run,
        language="en",
    )


@pytest.fixture
def queue_only(settings):
    """Uploads wait for a separate worker, as with THB_IMPORT_RUNNER=worker."""
    settings.THB_IMPORT_RUNNER = "worker"


def _stored_data(job: ImportJob) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM interop_importjob WHERE id = %s", [job.pk])
        return cursor.fetchone()[0]


# Queue and run


def test_the_queued_file_is_encrypted_at_rest_and_deleted_after_the_run(owner):
    job = _queue(owner, _csv("Neatkārtojamā"))
    raw = _stored_data(job)
    assert raw.startswith("v2:")  # an AES-256-GCM token (thb.lib.crypto)
    body = raw.removeprefix("v2:")
    assert "Neatkārtojamā" not in raw and "Neatkārtojamā".encode() not in base64.b64decode(
        body + "=" * (-len(body) % 4), altchars=b"-_"
    )
    assert job.sha256 == hashlib.sha256(_csv("Neatkārtojamā")).hexdigest()
    runner.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJobStatus.DONE
    assert _stored_data(job) == ""
    assert job.result["outcome"] == "imported" and job.result["created"] == 1
    assert (job.done, job.total) == (1, 1)
    assert Case.objects.filter(institution=owner.institution).count() == 1


def test_queueing_is_audited_with_the_files_hash(owner):
    job = _queue(owner)
    event = AuditEvent.objects.get(object_type="interop.importjob", object_id=str(job.pk))
    assert event.actor == owner and event.details["sha256"] == job.sha256
    assert event.details["type"] == "victim_cases"


def test_a_job_is_claimed_by_one_runner_only(owner):
    job = _queue(owner)
    first = services.import_job_claim(worker="a:1", pk=job.pk)
    assert first is not None and first.status == ImportJobStatus.RUNNING
    assert services.import_job_claim(worker="b:2", pk=job.pk) is None
    assert services.import_job_claim(worker="b:2") is None


def test_the_runner_takes_the_oldest_job_first(owner):
    older, newer = _queue(owner), _queue(owner)
    assert runner.run_waiting_jobs() == 2
    older.refresh_from_db()
    newer.refresh_from_db()
    assert older.started_at is not None and newer.started_at is not None
    assert older.started_at <= newer.started_at
    assert older.result["created"] == 1 and newer.result["existing"] == 1


def test_a_file_with_an_error_is_a_result_with_its_errors_and_saves_nothing(owner):
    data = b"external_id,intake_date,referral_channel,surname\nA1,2020-01-01,nobody,Slepenais\n"
    job = _queue(owner, data)
    runner.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJobStatus.DONE and job.result["outcome"] == "rejected"
    assert job.result["errors"][0]["column"] == "referral_channel"
    assert "Slepenais" not in json.dumps(job.result)
    assert Case.objects.count() == 0


def test_a_dry_run_job_saves_nothing(owner):
    job = _queue(owner, dry_run=True)
    runner.run_job(job.pk)
    job.refresh_from_db()
    assert job.result["outcome"] == "checked" and job.result["created"] == 1
    assert Case.objects.count() == 0


def test_a_job_of_a_deactivated_user_fails_without_importing(owner):
    job = _queue(owner)
    owner.is_active = False
    owner.save(update_fields=["is_active"])
    runner.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJobStatus.FAILED
    assert job.failure == ImportJobFailure.NOT_PERMITTED
    assert _stored_data(job) == "" and Case.objects.count() == 0


def test_the_worker_command_runs_the_waiting_jobs(owner, queue_only):
    job = _queue(owner)
    call_command("import_worker", once=True, stdout=io.StringIO())
    job.refresh_from_db()
    assert job.status == ImportJobStatus.DONE and job.result["created"] == 1


# Jobs left by a stopped process


def _running(owner, worker: str, heartbeat_minutes_ago: float) -> ImportJob:
    job = _queue(owner)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJobStatus.RUNNING,
        worker=worker,
        heartbeat_at=timezone.now() - timedelta(minutes=heartbeat_minutes_ago),
    )
    return job


def test_a_job_whose_process_is_gone_is_marked_failed_and_its_file_deleted(owner):
    gone = _running(owner, f"{socket.gethostname()}:{2**22 + 12345}", 0)
    alive = _running(owner, f"{socket.gethostname()}:1", 0)  # init: always running
    elsewhere = _running(owner, "other-host:4242", 1)
    silent = _running(owner, "other-host:4243", 60 * 24)
    assert sorted(services.import_jobs_recover()) == sorted([gone.pk, silent.pk])
    for job, status in (
        (gone, ImportJobStatus.FAILED),
        (alive, ImportJobStatus.RUNNING),
        (elsewhere, ImportJobStatus.RUNNING),
        (silent, ImportJobStatus.FAILED),
    ):
        job.refresh_from_db()
        assert job.status == status
    assert gone.failure == ImportJobFailure.INTERRUPTED and _stored_data(gone) == ""


# Pages


def _upload(client, data: bytes, dry_run: bool = False):
    fields = {"import_type": "victim_cases", "file": SimpleUploadedFile("cases.csv", data)}
    if dry_run:
        fields["dry_run"] = "on"
    return client.post(reverse("interop:upload"), fields)


def test_a_queued_upload_shows_its_progress_and_then_its_result(client_for, owner, queue_only):
    client = client_for(owner, language="en")
    response = _upload(client, _csv())
    job = ImportJob.objects.get(owner=owner)
    assert response["Location"] == reverse("interop:job", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert "<progress" in page and 'http-equiv="refresh"' in page and "import-job.js" in page
    assert "Waiting for its turn." in page
    status = client.get(reverse("interop:job_status", args=[job.pk])).json()
    assert status["status"] == "queued" and status["active"] is True
    runner.run_waiting_jobs()
    page = client.get(response["Location"]).content.decode()
    assert "Imported 1 rows: 1 new" in page and "<progress" not in page
    assert "http-equiv" not in page
    status = client.get(reverse("interop:job_status", args=[job.pk])).json()
    assert status == {
        "id": job.pk,
        "status": "done",
        "status_label": "finished",
        "active": False,
        "done": 1,
        "total": 1,
        "outcome": "imported",
    }


def test_the_page_shows_the_stored_progress(client_for, owner, queue_only):
    job = _queue(owner)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJobStatus.RUNNING, done=40, total=120)
    page = client_for(owner, language="en").get(reverse("interop:job", args=[job.pk]))
    assert 'max="120" value="40"' in page.content.decode()
    assert "40 of 120 rows" in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_progress_inside_the_imports_transaction_is_seen_before_its_commit_on_postgresql(owner):
    """The runner reports progress while the import's transaction is open: PostgreSQL
    stores it at once through a second connection; SQLite (one writer at a time)
    keeps it for the next write outside the transaction."""
    job = _queue(owner)
    assert services.import_job_progress(job_id=job.pk, done=5, total=50) is True
    with transaction.atomic():
        stored = services.import_job_progress(job_id=job.pk, done=25, total=50)
        seen_by_others = _read_elsewhere(job.pk)
    services.import_job_progress_close()
    if connection.vendor == "postgresql":
        assert stored is True and seen_by_others == (25, 50)
    else:
        assert stored is False and seen_by_others == (5, 50)


def _read_elsewhere(job_id: int) -> tuple[int, int]:
    """(done, total) as another connection sees it."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT done, total FROM interop_importjob WHERE id = %s", [job_id])
            done, total = cursor.fetchone()
            return done, total
    finally:
        other.close()


def test_skipping_unknown_columns_ticked_on_the_form_reaches_the_import(client_for, owner):
    data = _csv().decode().replace("external_id", "external_id,piezimes", 1)
    lines = data.splitlines()
    data = "\n".join([*lines[:-1], lines[-1].replace(",", ",jebkas,", 1)]) + "\n"
    client = client_for(owner, language="en")
    refused = _upload(client, data.encode())
    assert "piezimes" in client.get(refused["Location"]).content.decode()
    assert Case.objects.count() == 0
    fields = {
        "import_type": "victim_cases",
        "file": SimpleUploadedFile("cases.csv", data.encode()),
        "ignore_columns": "on",
    }
    skipped = client.post(reverse("interop:upload"), fields)
    job = ImportJob.objects.get(pk=int(skipped["Location"].rstrip("/").rsplit("/", 1)[1]))
    assert job.options == {"ignore_columns": True}
    assert job.result["skipped_columns"] == ["piezimes"] and job.result["created"] == 1
    body = client.get(skipped["Location"]).content.decode()
    assert "Skipped columns" in body and "<code>piezimes</code>" in body


def test_my_imports_lists_the_users_jobs_with_their_outcome(client_for, owner, colleague):
    _upload(client_for(owner), _csv(), dry_run=True)
    _upload(client_for(colleague), b"external_id\nX\n")
    theirs = ImportJob.objects.get(owner=colleague)
    body = client_for(owner, language="en").get(reverse("interop:jobs")).content.decode()
    assert "1 rows checked, no errors" in body and "check only" in body
    assert body.count('href="/import/jobs/') == 1
    assert reverse("interop:job", args=[theirs.pk]) not in body


def test_a_failed_job_says_so(client_for, owner):
    job = _queue(owner)
    services.import_job_claim(worker="x:1", pk=job.pk)
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(days=1))
    services.import_jobs_recover()
    body = client_for(owner, language="en").get(reverse("interop:job", args=[job.pk]))
    assert "The import was interrupted" in body.content.decode()
    assert "Nothing was saved" in body.content.decode()


@pytest.mark.parametrize("name", ["interop:job", "interop:job_status"])
def test_another_users_job_does_not_exist_for_them(client_for, owner, colleague, auditor, name):
    job = _queue(owner)
    url = reverse(name, args=[job.pk])
    assert client_for(owner).get(url).status_code == 200
    assert client_for(colleague).get(url).status_code == 404
    assert client_for(auditor).get(url).status_code == 403  # imports nothing


def test_a_role_without_import_types_has_no_import_list(client_for, auditor):
    assert client_for(auditor).get(reverse("interop:jobs")).status_code == 403


def test_the_job_pages_speak_latvian(client_for, owner, queue_only):
    job = _queue(owner)
    body = client_for(owner).get(reverse("interop:job", args=[job.pk])).content.decode()
    assert "Mani importi" in body and "Gaida savu kārtu." in body
