"""The query plans of the report's figures and of the case pages, on a benchmark database.

Runs the year's figures (`compute_figures`), the case list and a case page once,
captures their SQL, and prints each statement's plan (EXPLAIN QUERY PLAN on SQLite,
EXPLAIN on PostgreSQL), marking the full scans of tables with many rows: the check that
the queries use their indexes. Run it on a database benchmarks/scale.py filled:

    .venv/bin/python benchmarks/explain.py --sqlite /path/scale.sqlite3
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/explain.py
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

YEAR = 2020
# Tables whose rows grow with the victims: a full scan of one is worth a look.
BIG = (
    "victims_case",
    "victims_person",
    "victims_caseexploitation",
    "victims_caseplace",
    "victims_identificationdecision",
    "victims_caseevent",
    "support_rehabilitationplan",
    "support_servicedelivery",
    "justice_proceeding",
    "justice_injuredparty",
    "justice_suspect",
    "justice_judgmentperson",
    "justice_stageevent",
    "activities_helplinecontact",
    "audit_auditevent",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", default="", help="the SQLite file scale.py filled")
    parser.add_argument(
        "--pages-only", action="store_true", help="the case pages alone (not the figures)"
    )
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{args.sqlite}"
        var = f"{args.sqlite}.var"
    else:
        name = os.environ["DATABASE_URL"].rstrip("/").rsplit("/", 1)[-1]
        var = f"{tempfile.gettempdir()}/thb-scale-{name}.var"
    os.environ.setdefault("THB_VAR_DIR", var)
    os.environ["DJANGO_SETTINGS_MODULE"] = "thb.settings"
    os.environ.setdefault("THB_DEBUG", "false")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from thb.accounts.models import User
    from thb.reports.catalogue import compute_figures
    from thb.reports.years import record_years
    from thb.victims.models import Case

    worker = User.objects.filter(role="caseworker").order_by("username").first()
    assert worker is not None
    code = (
        Case.objects.filter(institution=worker.institution)
        .values_list("person__code", flat=True)[:1]
        .get()
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(worker)
    with CaptureQueriesContext(connection) as captured:
        if not args.pages_only:
            record_years()
            compute_figures(YEAR)
        first = client.get("/cases/")
        client.get(f"/cases/{code}/")
        # The second page of the list: the keyset boundary (thb/core/paging.py).
        cursor = re.search(r'href="[^"]*cursor=([^"&]+)"[^>]*rel="next"', first.content.decode())
        if cursor:
            client.get(f"/cases/?cursor={cursor.group(1)}")
    seen: set[str] = set()
    scans = 0
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT") or sql in seen:
                continue
            seen.add(sql)
            prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
            cursor.execute(prefix + sql)
            plan = [str(row[-1]) for row in cursor.fetchall()]
            full = [
                line
                for line in plan
                if any(table in line for table in BIG)
                and (
                    ("SCAN " in line and "USING" not in line)  # SQLite: no index
                    or "Seq Scan" in line  # PostgreSQL
                )
            ]
            scans += bool(full)
            print(("FULL SCAN  " if full else "indexed    ") + sql[:160].replace("\n", " "))
            for line in plan:
                print("           " + line)
    print(f"\n{len(seen)} distinct SELECT statements, {scans} with a full scan of a big table")


if __name__ == "__main__":
    main()
