"""During an import, a caseworker's pages keep answering: the case list and a case page
with the person's identity (an audited read, so a write of an audit event), on SQLite
(a database file in WAL mode) and on PostgreSQL. Each run is a fresh process on a
database of its own (thb/interop/tests/concurrency.py): the test suite's own SQLite
database lives in memory and its tests in one transaction, where neither WAL nor a
second connection behaves as in production.

- Midway: the import is held at half of its rows (from its progress callback) while
  the caseworker reads each page three times: every read must succeed and complete
  while the import is held, not after it. This needs the import engine that checks
  and stages the rows outside its write transaction and writes them in one short
  transaction with one audit event (issue 9, part 6): with an import holding its
  transaction (and, on PostgreSQL, the audit chain's head) from the first row, the
  reads wait for the import's end.
- The runners: the web process's runner thread and a `thb import-worker` process each
  import an upload; the pages read while it runs (as many times as fit) do not fail."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from thb.core.tests.cli import ROOT

ROWS = 40
# The tests themselves read nothing in this process; the mark has the test database set
# up, through which the PostgreSQL fixture creates the probe's database.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def database(
    tmp_path_factory: pytest.TempPathFactory, django_db_setup: Any, django_db_blocker: Any
) -> Iterator[dict[str, str]]:
    """The environment of a new database of the test database's vendor: a SQLite file
    (WAL), or a new PostgreSQL database dropped at the end."""
    var_dir = tmp_path_factory.mktemp("reads-during-import")
    if connection.vendor == "sqlite":
        yield {"THB_VAR_DIR": str(var_dir)}
        return
    name = f"thb_reads_{uuid.uuid4().hex[:12]}"
    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        db = connection.settings_dict
        url = (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:"
            f"{db['PORT'] or 5432}/{name}"
        )
        try:
            yield {"THB_VAR_DIR": str(var_dir), "DATABASE_URL": url}
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _probe(database: dict[str, str], *args: str) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THB_")}
    env.pop("DATABASE_URL", None)
    env.update(database)
    done = subprocess.run(
        [sys.executable, "-m", "thb.interop.tests.concurrency", "--rows", str(ROWS), *args],
        cwd=Path(ROOT),
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _imported(report: dict[str, Any]) -> None:
    assert report["job_status"] == "done", report
    assert report["outcome"] == "imported" and report["created"] == ROWS, report


def test_reads_and_audited_reads_complete_while_an_import_is_under_way(database):
    report = _probe(database, "--mode", "midway", "--tag", "midway", "--verify-audit")
    assert report["held_at_half"], report
    for kind, reads in report["reads"].items():
        assert reads["errors"] == 0, (kind, reads["first_errors"])
        # Completed while the import was held at half of its rows, not after it.
        assert reads["during"] == 3, (kind, report)
    # Every identity read was audited (three, and one before the import), and the
    # chain, written by the reader and the import in turn, verifies.
    assert report["identity_reads_audited"] == 4
    assert report["audit_chain_ok"] is True
    # The uploader saw the job's progress meanwhile.
    status = report["status_seen"]
    assert status["during"] and status["status"] == "running", status
    assert status["total"] == ROWS and ROWS // 2 <= status["done"] < ROWS, status
    _imported(report)


@pytest.mark.parametrize("runner", ["thread", "worker"])
def test_a_runner_imports_an_upload_and_no_page_read_meanwhile_fails(database, runner):
    report = _probe(database, "--mode", "repeated", "--runner", runner, "--tag", runner)
    for kind, reads in report["reads"].items():
        assert reads["errors"] == 0, (kind, reads["first_errors"])
    _imported(report)
