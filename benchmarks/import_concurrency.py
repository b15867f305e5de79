"""Benchmark: a caseworker's pages during a large import (issue 9, part 6).

A generated register of N victim cases (100 000 by default, with identities) is
uploaded as an import job and run by a `thb import-worker` process (or the web
process's runner thread, `--runner thread`); meanwhile a caseworker of the same
institution requests the case list and a case page with the person's identity (an
audited read) again and again until the import ends. Prints, per page, the number of
requests, failed requests, p50, p95 and the slowest, and how many completed while the
import was running and before its rows were committed. Target: p95 under 1 s and no
errors.

SQLite (a new database file in WAL mode, in a scratch directory):

    .venv/bin/python benchmarks/import_concurrency.py --rows 100000

PostgreSQL: DATABASE_URL names a server and credentials; the benchmark creates a new
database beside the named one and drops it at the end:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thb \\
        .venv/bin/python benchmarks/import_concurrency.py --rows 100000

The measuring runs in a fresh process (thb/interop/tests/concurrency.py, also used by
the tests).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
TARGET_P95 = 1.0


@contextmanager
def new_database(url: str) -> Iterator[str]:
    """A new PostgreSQL database on the server of `url`, dropped at the end."""
    import psycopg

    parts = urlsplit(url)
    name = f"thb_concurrency_{uuid.uuid4().hex[:10]}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_probe(args: argparse.Namespace, env: dict[str, str]) -> dict[str, Any]:
    command = [
        sys.executable,
        "-m",
        "thb.interop.tests.concurrency",
        "--mode",
        "repeated",
        "--runner",
        args.runner,
        "--rows",
        str(args.rows),
        "--timeout",
        str(args.timeout),
    ]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"the probe failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def show(report: dict[str, Any]) -> None:
    print(
        f"database: {report['vendor']}; {report['rows']} victim-case rows; "
        f"runner: {report['runner']}"
    )
    print(
        f"import: {report['import_seconds']:.1f} s from the runner taking the job "
        f"({report['waiting_seconds']:.1f} s waiting before), job {report['job_status']}, "
        f"{report['outcome'] or report['job_failure']}, {report['created']} created"
    )
    for error in report["first_job_errors"]:
        print(f"  file error: line {error['line']} {error['column']}: {error['message'][:160]}")
    header = f"{'page':<10} {'requests':>8} {'errors':>6} {'during':>6} "
    print(header + f"{'p50 s':>8} {'p95 s':>8} {'max s':>8}  target")
    met = report["job_status"] == "done"
    for kind, reads in report["reads"].items():
        p50, p95, slowest = (
            reads[k] if reads[k] is not None else float("nan")
            for k in (
                "p50",
                "p95",
                "max",
            )
        )
        ok = reads["errors"] == 0 and reads["count"] > 0 and p95 < TARGET_P95
        met = met and ok
        print(
            f"{kind:<10} {reads['count']:>8} {reads['errors']:>6} {reads['during']:>6} "
            f"{p50:>8.3f} {p95:>8.3f} {slowest:>8.3f}  {'met' if ok else 'NOT met'}"
        )
        for error in reads["first_errors"][:2]:
            print(f"           e.g. {error[:160]}")
    print(f"target (p95 < {TARGET_P95:g} s, no errors, import done): {'met' if met else 'NOT met'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows in the file (100000)")
    parser.add_argument("--runner", choices=["worker", "thread"], default="worker")
    parser.add_argument("--timeout", type=float, default=3600.0, help="give up after (s)")
    args = parser.parse_args()

    env = {k: v for k, v in os.environ.items() if not k.startswith("THB_")}
    env["THB_VAR_DIR"] = tempfile.mkdtemp(prefix="thb-concurrency-")
    url = env.pop("DATABASE_URL", "")
    if url:
        with new_database(url) as database:
            show(run_probe(args, {**env, "DATABASE_URL": database}))
    else:
        show(run_probe(args, env))


if __name__ == "__main__":
    main()
