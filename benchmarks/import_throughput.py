"""Benchmark: bulk import throughput (rows a second), all-or-nothing in one transaction.

Imports a generated CSV of N anonymous helpline contacts and of N victim cases (each
through the same services as the pages: validation, encryption, timeline, audit) into a
throw-away database, and prints the time and rows a second of a dry run and a real run.

    .venv/bin/python benchmarks/import_throughput.py --rows 2000
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000, help="rows per file (2000)")
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="thb-bench-")
    os.environ.setdefault("THB_VAR_DIR", scratch)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "thb.settings"
    os.environ.setdefault("THB_DEBUG", "false")  # as in production: no query logging
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from thb.accounts.models import Institution, Role, User
    from thb.interop.importer import import_file
    from thb.interop.registry import registered

    helpline_owner = Institution.objects.create(code="line", name="Line", kind="helpline")
    reporter = User.objects.create(username="r", role=Role.REPORTER, institution=helpline_owner)
    provider = Institution.objects.create(code="ngo", name="NGO", kind="service_provider")
    caseworker = User.objects.create(username="c", role=Role.CASEWORKER, institution=provider)
    types = registered()

    contacts = ["helpline,helpline_number,received_at,channel,thb_related,language,external_id"]
    contacts += [
        f"bench,116006,2020-{1 + i % 12:02d}-{1 + i % 28:02d} 10:{i % 60:02d},"
        f"{['call', 'email', 'chat'][i % 3]},{'yes' if i % 4 == 0 else 'no'},lv,c-{i}"
        for i in range(args.rows)
    ]
    header = list(types["victim_cases"].example_row())
    example = types["victim_cases"].example_row()
    cases = [",".join(header)]
    for i in range(args.rows):
        row = dict(example, external_id=f"v-{i}")
        cases.append(",".join(f'"{row[c]}"' if "," in row[c] else row[c] for c in header))

    print(f"database: {connection.vendor}; {args.rows} rows per file")
    for name, actor, lines in (
        ("helpline_contacts", reporter, contacts),
        ("victim_cases", caseworker, cases),
    ):
        data = ("\n".join(lines) + "\n").encode("utf-8")
        for dry_run in (True, False):
            started = time.perf_counter()
            result = import_file(
                actor=actor,
                import_type=types[name],
                file_name=f"{name}.csv",
                data=data,
                dry_run=dry_run,
            )
            seconds = time.perf_counter() - started
            label = f"{name} ({'dry run' if dry_run else 'saved'})"
            status = "ok" if result.ok else f"{len(result.errors)} errors: {result.errors[:1]}"
            print(f"{label:<32} {seconds:7.2f} s  {args.rows / seconds:8.0f} rows/s  {status}")


if __name__ == "__main__":
    main()
