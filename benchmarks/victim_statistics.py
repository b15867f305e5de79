"""Benchmark: the victim statistics and the case list at scale.

Creates a throw-away database (SQLite in a temporary directory, or the one in
DATABASE_URL — use a scratch database), fills it with N synthetic decided cases in one
year, and prints how long the year's victims.* figures and the first page of a
caseworker's case list take, with their query counts.

    .venv/bin/python benchmarks/victim_statistics.py --cases 20000
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10000, help="synthetic cases (10000)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs; the best is printed")
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="thb-bench-")
    os.environ.setdefault("THB_VAR_DIR", scratch)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "thb.settings"
    os.environ.setdefault("THB_DEBUG", "false")  # as in production: no query logging
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    from thb.accounts.models import Institution, Role, User
    from thb.reports.figures import report_figures
    from thb.victims.models import Case, CaseExploitation, CasePlace, Person
    from thb.victims.selectors import case_list
    from thb.victims.services import exploitation_keys_rebuild

    rng = random.Random(1)
    owner = Institution.objects.create(code="bench", name="Bench NGO", kind="service_provider")
    user = User.objects.create(username="bench", role=Role.CASEWORKER, institution=owner)
    print(f"database: {connection.vendor}; creating {args.cases} cases ...", flush=True)
    started = time.perf_counter()
    batch = 2000
    for offset in range(0, args.cases, batch):
        n = min(batch, args.cases - offset)
        people = Person.objects.bulk_create(
            Person(
                code=f"B-{offset + i:08d}",
                sex=rng.choice(["male", "female"]),
                citizenship=rng.choice(["LV", "TJ", "IN", "UZ", "UA", "RO"]),
            )
            for i in range(n)
        )
        cases = Case.objects.bulk_create(
            Case(
                person=p,
                institution=owner,
                status=rng.choice(["recognised"] * 9 + ["not_recognised"]),
                intake_date=date(2020, 1, 1) + timedelta(days=rng.randint(0, 300)),
                decided_on=date(2020, 1, 1) + timedelta(days=rng.randint(0, 360)),
                referral_channel=rng.choice(["self", "state_police", "social_service"]),
                age_at_identification=rng.randint(14, 60),
                education="secondary",
                recruitment_method=rng.choice(["acquaintance", "internet"]),
                primary_form=rng.choice(["labour", "sexual"]),
            )
            for p in people
        )
        CaseExploitation.objects.bulk_create(
            CaseExploitation(
                case=c,
                form=c.primary_form,
                sector="construction" if c.primary_form == "labour" else "",
            )
            for c in cases
        )
        CasePlace.objects.bulk_create(
            CasePlace(case=c, country="LV", region=rng.choice(["riga", "latgale"])) for c in cases
        )
    # Bulk-created rows bypass the service that keeps the stored combination key.
    exploitation_keys_rebuild()
    print(f"created in {time.perf_counter() - started:.1f} s")

    def measure(label: str, fn) -> None:  # type: ignore[no-untyped-def]
        best = float("inf")
        queries = 0
        for _ in range(args.repeat):
            reset_queries()
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                fn()
                best = min(best, time.perf_counter() - t)
            queries = len(ctx.captured_queries)
        print(f"{label:<40} {best * 1000:9.1f} ms  {queries:4d} queries")

    measure(
        f"victims.* figures of 2020, {args.cases} cases",
        lambda: report_figures(2020, prefix="victims."),
    )
    measure("case list, first page of 25", lambda: list(case_list(actor=user)[:25]))
    measure(
        "case list, filtered by citizenship",
        lambda: list(case_list(actor=user, citizenship="TJ")[:25]),
    )


if __name__ == "__main__":
    main()
