"""Benchmark: bulk import throughput (rows a second), all-or-nothing.

Imports a generated CSV of N anonymous helpline contacts and of N victim cases (a
historical register: intake, identity encrypted at rest, forms, places, the
identification decision) into a throw-away database, through the same path as
`thb import` and the upload page: rows checked and staged outside the transaction by
the types' own rules, then one short transaction of bulk inserts and one audit event.

For each type it prints the seconds and rows a second of a dry run (every row
validated, nothing saved) and of the real import (validated and saved), the same per
second of CPU time (this process's and its import worker processes': a large import
of a type that can be staged in parts is checked and staged in THB_IMPORT_WORKERS
processes, thb/interop/parallel.py; on a machine shared with other work the wall clock
counts their time too; on PostgreSQL the server's CPU is not in it), and the seconds
the write transaction was open. `--workers 0` stages in the importing process only.

    .venv/bin/python benchmarks/import_throughput.py --rows 100000
    .venv/bin/python benchmarks/import_throughput.py --rows 100000 --workers 0
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thb_bench \\
        .venv/bin/python benchmarks/import_throughput.py --rows 100000

On PostgreSQL give an empty scratch database for each run (`dropdb thb_bench;
createdb thb_bench`): it is migrated, and its audit events are signed with keys the
run creates in a temporary directory.
"""

from __future__ import annotations

import argparse
import os
import resource
import secrets
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


TARGET = 20_000  # validated rows a second (issue 9, part 6)


def _contacts(rows: int) -> list[str]:
    lines = ["helpline,helpline_number,received_at,channel,thb_related,language,topic,external_id"]
    channels = ["call", "email", "chat"]
    topics = ["trafficking", "work_abroad", "labour_rights", "other"]
    lines += [
        f"bench,116006,20{18 + i % 3}-{1 + i % 12:02d}-{1 + i % 28:02d} "
        f"{8 + i % 12:02d}:{i % 60:02d},{channels[i % 3]},"
        f"{'yes' if i % 4 == 0 else 'no'},lv,{topics[i % 4]},c-{i}"
        for i in range(rows)
    ]
    return lines


CASE_HEADER = (
    "external_id,intake_date,referral_channel,sex,citizenship,date_of_birth,education,"
    "forms,places,recruitment_method,given_names,surname,historical,decision_kind,"
    "decision_date,decision_outcome,criteria,decision_proceeding"
)


def _cases(rows: int) -> list[str]:
    lines = [CASE_HEADER]
    forms = ["labour:construction", "sexual", "sexual; labour:cleaning", "forced_sham_marriage"]
    places = ["GB", "LV:riga", "DE; NL", "IE"]
    for i in range(rows):
        year = 2018 + i % 3
        month = 1 + i % 9
        kind = "commission" if i % 2 else "process_director"
        lines.append(
            f"V-{i},{year}-{month:02d}-{1 + i % 27:02d},state_police,"
            f"{'female' if i % 3 else 'male'},{['LV', 'UZ', 'UA'][i % 3]},"
            f"{1970 + i % 40}-{1 + i % 12:02d}-{1 + i % 28:02d},secondary,"
            f'"{forms[i % 4]}","{places[i % 4]}",acquaintance,Anna,Ozola,true,{kind},'
            f"{year}-{month + 2:02d}-15,{'recognised' if i % 5 else 'not_recognised'},"
            f"means_deception; purpose_exploitation,{'' if i % 2 else f'1181600{i}'}"
        )
    return lines


def _cpu() -> float:
    """CPU seconds of this process and of its ended child processes (the import's
    workers, counted once they are joined)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


@contextmanager
def _timed_writes() -> Iterator[list[float]]:
    """Measures how long the write transaction is open (the outermost atomic block)."""
    from django.db import transaction

    spans: list[float] = []
    original = transaction.Atomic.__enter__, transaction.Atomic.__exit__
    started: list[float] = []

    def enter(self: Any) -> Any:
        started.append(time.perf_counter())
        return original[0](self)

    def leave(self: Any, *args: Any) -> Any:
        result = original[1](self, *args)
        begun = started.pop()
        if not started:
            spans.append(time.perf_counter() - begun)
        return result

    transaction.Atomic.__enter__ = enter  # type: ignore[method-assign]
    transaction.Atomic.__exit__ = leave  # type: ignore[method-assign]
    try:
        yield spans
    finally:
        transaction.Atomic.__enter__, transaction.Atomic.__exit__ = original  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows per file (100 000)")
    parser.add_argument("--only", choices=["helpline_contacts", "victim_cases"], default=None)
    parser.add_argument(
        "--workers", type=int, default=None, help="THB_IMPORT_WORKERS (default: the setting, auto)"
    )
    args = parser.parse_args()
    if args.workers is not None:
        os.environ["THB_IMPORT_WORKERS"] = str(args.workers)

    scratch = tempfile.mkdtemp(prefix="thb-bench-")
    os.environ.setdefault("THB_VAR_DIR", scratch)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "thb.settings"
    os.environ.setdefault("THB_DEBUG", "false")  # as in production: no query logging
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from thb.accounts.models import Institution, Role, User
    from thb.interop.importer import import_file
    from thb.interop.parallel import auto_workers
    from thb.interop.registry import registered

    run = secrets.token_hex(3)
    helpline_owner = Institution.objects.create(code=f"line-{run}", name="Line", kind="helpline")
    reporter = User.objects.create(
        username=f"r-{run}", role=Role.REPORTER, institution=helpline_owner
    )
    provider = Institution.objects.create(code=f"ngo-{run}", name="NGO", kind="service_provider")
    caseworker = User.objects.create(
        username=f"c-{run}", role=Role.CASEWORKER, institution=provider
    )
    types = registered()
    configured = settings.THB_IMPORT_WORKERS
    workers = f"auto: {auto_workers()}" if configured is None else str(configured)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"database: {connection.vendor}; {args.rows} rows per file; "
        f"{os.cpu_count()} CPUs, load average {load:.1f}; import workers "
        f"{workers} (from {settings.THB_IMPORT_PARALLEL_ROWS} rows)"
    )
    print(
        "rows/s: rows / wall-clock seconds of the whole import (file read, every row "
        "checked and staged, the write transaction, the audit event); per CPU-second: "
        "rows / CPU seconds of this process and its import worker processes (the "
        f"database server's CPU not included). Target: {TARGET} validated rows/s."
    )
    for name, actor, lines in (
        ("helpline_contacts", reporter, _contacts(args.rows)),
        ("victim_cases", caseworker, _cases(args.rows)),
    ):
        if args.only and name != args.only:
            continue
        data = ("\n".join(lines) + "\n").encode("utf-8")
        for dry_run in (True, False):
            with _timed_writes() as spans:
                started, cpu = time.perf_counter(), _cpu()
                result = import_file(
                    actor=actor,
                    import_type=types[name],
                    file_name=f"{name}.csv",
                    data=data,
                    dry_run=dry_run,
                )
                seconds = time.perf_counter() - started
                cpu = _cpu() - cpu
            label = f"{name} ({'validated' if dry_run else 'validated and saved'})"
            status = "ok" if result.ok else f"{len(result.errors)} errors: {result.errors[:1]}"
            write = f"  write transaction {max(spans, default=0):5.2f} s" if not dry_run else ""
            print(
                f"{label:<40} {seconds:7.2f} s {args.rows / seconds:7.0f} rows/s "
                f"(CPU: {cpu:6.2f} s, {args.rows / cpu:6.0f} rows/s)  "
                f"{status}{write}"
            )
            if not dry_run:
                verdicts = [
                    f"{what} {'meets' if rate >= TARGET else 'misses'} the target"
                    for what, rate in (
                        ("wall clock", args.rows / seconds),
                        ("per CPU-second", args.rows / cpu),
                    )
                ]
                print(f"{'':<40} {'; '.join(verdicts)}")


if __name__ == "__main__":
    main()
