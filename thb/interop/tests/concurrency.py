"""Reads during an import, in a process and on a database of their own.

A clerk's file of N victim cases is uploaded as an import job; meanwhile a caseworker
of the same institution opens the case list and a case page with its identity (an
audited read). Two modes:

- `--mode midway`: the job is run with its progress callback holding the import at
  half of its rows; while it is held, the caseworker reads each page three times and
  the clerk asks for the job's status. A read *during* the import is one that
  completed while the import was held; one still waiting after `--window` seconds is
  blocked by the import (the import is then let go, and the read completes or fails
  after). Deterministic whatever the speed of the import: the test's mode.
- `--mode repeated`: the job is run by a real runner (`--runner thread`: the web
  process's thread; `--runner worker`: a `thb import-worker --once` process); from the
  moment the runner takes it until it ends, the caseworker reads both pages again and
  again: every read is timed
  (p50, p95, errors), and counted as during when it completed while the job was
  running and none of the file's cases was committed yet. The benchmark's mode.

The figures are printed as JSON. Used by test_reads_during_import.py and by
benchmarks/import_concurrency.py.

    THB_VAR_DIR=/tmp/x python -m thb.interop.tests.concurrency --rows 100
    DATABASE_URL=postgres://…/empty_db THB_VAR_DIR=/tmp/y \\
        python -m thb.interop.tests.concurrency --mode repeated --rows 100000

The database must be new: it is migrated, and the probe's users and case are created.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]


@dataclass
class Reads:
    seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    during: int = 0
    blocked: int = 0  # midway mode: still waiting when the import was let go

    def add(self, seconds: float, error: str, during: bool) -> None:
        self.seconds.append(seconds)
        if error:
            self.errors.append(error)
        elif during:
            self.during += 1

    def summary(self) -> dict[str, Any]:
        ordered = sorted(self.seconds)

        def quantile(q: float) -> float | None:
            return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else None

        return {
            "count": len(ordered),
            "errors": len(self.errors),
            "first_errors": self.errors[:5],
            "during": self.during,
            "blocked": self.blocked,
            "p50": quantile(0.5),
            "p95": quantile(0.95),
            "max": ordered[-1] if ordered else None,
        }


# Beside the required columns: the profile and the identity (100 000 rows stay within
# the 20 MB a file may have).
COLUMNS = ("sex", "citizenship", "age_at_identification", "given_names", "surname", "date_of_birth")


def victim_cases_csv(rows: int) -> bytes:
    """A victim-case register of `rows` rows, with identities, valid for the type."""
    from thb.interop.registry import get_import_type

    import_type = get_import_type("victim_cases")
    example = import_type.example_row()
    header = [c.name for c in import_type.columns if c.required or c.name in COLUMNS]
    lines = [",".join(header)]
    for i in range(rows):
        row = dict(example, external_id=f"HIST-{i:06d}", surname=f"Vēsturiskā{i}")
        lines.append(",".join(f'"{row[c]}"' if "," in row[c] else row[c] for c in header))
    return ("\n".join(lines) + "\n").encode("utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="reads during an import")
    parser.add_argument("--rows", type=int, default=100)
    parser.add_argument("--mode", choices=["midway", "repeated"], default="midway")
    parser.add_argument("--runner", choices=["thread", "worker"], default="thread")
    parser.add_argument("--window", type=float, default=15.0, help="midway: wait for reads (s)")
    parser.add_argument("--timeout", type=float, default=3600.0, help="give up after (s)")
    parser.add_argument("--verify-audit", action="store_true", help="verify the chain after")
    parser.add_argument("--tag", default="probe", help="names of the probe's users (new per run)")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thb.settings")
    os.environ["THB_IMPORT_RUNNER"] = args.runner
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    probe = Probe(args.rows, tag=args.tag)
    if args.mode == "midway":
        report = probe.midway(window=args.window, timeout=args.timeout)
    else:
        report = probe.repeated(runner_kind=args.runner, timeout=args.timeout)
    report.update(probe.outcome(verify_audit=args.verify_audit))
    print(json.dumps(report))


class Probe:
    def __init__(self, rows: int, tag: str = "probe") -> None:
        from django.urls import reverse

        from thb.accounts.models import Institution, InstitutionKind, Role, User
        from thb.interop.registry import get_import_type
        from thb.interop.services import import_job_create
        from thb.victims.models import Case
        from thb.victims.tests.factories import make_case

        self.rows = rows
        self.ngo = Institution.objects.create(
            code=f"{tag}-ngo", name=f"{tag} NGO", kind=InstitutionKind.SERVICE_PROVIDER
        )
        self.clerk = User.objects.create_user(
            username=f"{tag}-clerk", role=Role.CASEWORKER, institution=self.ngo
        )
        self.reader = User.objects.create_user(
            username=f"{tag}-reader", role=Role.CASEWORKER, institution=self.ngo
        )
        case = make_case(self.reader, given_names="Lasāmā", surname="Lieta")
        self.urls = {
            "case_list": reverse("victims:case_list"),
            "case_page": reverse("victims:case_detail", args=[case.person.code]),
        }
        self.reads = {kind: Reads() for kind in self.urls}
        self.baseline = Case.objects.filter(institution=self.ngo).count()
        self.client = self._client(self.reader)
        for url in self.urls.values():  # the first request of a process loads the code
            self.client.get(url)
        self.job = import_job_create(
            actor=self.clerk,
            import_type=get_import_type("victim_cases"),
            file_name="register.csv",
            data=victim_cases_csv(rows),
            language="en",
        )

    @staticmethod
    def _client(user: Any) -> Any:
        from django.test import Client

        client = Client(HTTP_HOST="localhost")  # an allowed host in every mode
        client.force_login(user)
        return client

    def _read(self, client: Any, url: str) -> tuple[float, str]:
        began = time.perf_counter()
        try:
            status = client.get(url).status_code
            error = "" if status == 200 else f"HTTP {status}"
        except Exception as exc:  # a failed read is what is measured
            error = f"{type(exc).__name__}: {exc}"
        return time.perf_counter() - began, error

    def _status(self) -> str:
        from thb.interop.models import ImportJob

        return ImportJob.objects.values_list("status", flat=True).get(pk=self.job.pk)

    def _pending(self) -> bool:
        """The job runs and none of its cases is committed yet."""
        from thb.victims.models import Case

        return self._status() == "running" and (
            Case.objects.filter(institution=self.ngo).count() == self.baseline
        )

    def midway(self, *, window: float, timeout: float) -> dict[str, Any]:
        from django.db import connection
        from django.urls import reverse

        from thb.interop import services
        from thb.interop.runner import JobProgress

        held, let_go = threading.Event(), threading.Event()
        stored = JobProgress(self.job.pk)

        def hold_at_half(done: int, total: int) -> None:
            stored(done, total)
            if not held.is_set() and done >= total // 2:
                held.set()
                let_go.wait(timeout)

        def run_import() -> None:
            try:
                job = services.import_job_claim(worker=services.worker_name(), pk=self.job.pk)
                assert job is not None
                services.import_job_run(job=job, progress=hold_at_half)
            finally:
                connection.close()

        status_seen: dict[str, Any] = {}

        def read_pages() -> None:
            try:
                for _ in range(3):
                    for kind, url in self.urls.items():
                        seconds, error = self._read(self.client, url)
                        self.reads[kind].add(seconds, error, during=not let_go.is_set())
                        if not error and let_go.is_set():
                            self.reads[kind].blocked += 1
                clerk = self._client(self.clerk)
                response = clerk.get(reverse("interop:job_status", args=[self.job.pk]))
                status_seen.update(response.json(), during=not let_go.is_set())
            finally:
                connection.close()

        importer = threading.Thread(target=run_import)
        started = time.perf_counter()
        importer.start()
        while not held.wait(0.2) and importer.is_alive():
            if time.perf_counter() - started > timeout:
                break
        reached = held.is_set()
        reader = threading.Thread(target=read_pages)
        if reached:
            reader.start()
            reader.join(window)
        let_go.set()
        if reached:
            reader.join()
        importer.join()
        return {
            "mode": "midway",
            "held_at_half": reached,
            "import_seconds": round(time.perf_counter() - started, 2),
            "status_seen": status_seen,
            "reads": {kind: measured.summary() for kind, measured in self.reads.items()},
        }

    def repeated(self, *, runner_kind: str, timeout: float) -> dict[str, Any]:
        from thb.interop import runner

        worker = None
        started = time.perf_counter()
        if runner_kind == "thread":
            runner.dispatch(self.job)  # the web process's runner thread
        else:
            worker = subprocess.Popen(
                [sys.executable, "-m", "thb", "import-worker", "--once"],
                cwd=ROOT,
                env=os.environ,
                stdout=subprocess.DEVNULL,
            )
        # Reads count from the moment a runner has taken the job (a worker process
        # starts first), until the job ends.
        while time.perf_counter() - started < timeout and self._status() == "queued":
            time.sleep(0.05)
        running_at = time.perf_counter()
        pending: Callable[[], bool] = self._pending
        while time.perf_counter() - started < timeout and self._status() == "running":
            for kind, url in self.urls.items():
                seconds, error = self._read(self.client, url)
                self.reads[kind].add(seconds, error, during=not error and pending())
        ended_at = time.perf_counter()
        if worker is not None:
            worker.wait(timeout=max(1.0, timeout - (ended_at - started)))
        return {
            "mode": "repeated",
            "runner": runner_kind,
            "waiting_seconds": round(running_at - started, 2),
            "import_seconds": round(ended_at - running_at, 2),
            "reads": {kind: measured.summary() for kind, measured in self.reads.items()},
        }

    def outcome(self, *, verify_audit: bool) -> dict[str, Any]:
        from django.db import connection

        from thb.audit.models import AuditEvent
        from thb.audit.services import audit_chain_report

        self.job.refresh_from_db()
        report: dict[str, Any] = {
            "vendor": connection.vendor,
            "rows": self.rows,
            "job_status": self.job.status,
            "job_failure": self.job.failure,
            "outcome": self.job.result.get("outcome", ""),
            "created": self.job.result.get("created", 0),
            "first_job_errors": self.job.result.get("errors", [])[:3],
            "identity_reads_audited": AuditEvent.objects.filter(
                actor=self.reader, action="read", details__purpose="identity"
            ).count(),
        }
        if verify_audit:
            report["audit_chain_ok"] = audit_chain_report().ok
        return report


if __name__ == "__main__":
    main()
