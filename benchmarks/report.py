"""Benchmark: the annual report at scale, built and serialised in every format.

Creates a throw-away database (SQLite in a temporary directory, or the one in
DATABASE_URL — use a scratch database), fills it with N synthetic victims (decided
cases, with exploitation and place) in 2020 and in the earlier years, and prints how
long building the report's Document takes (internal and public edition: every figure
of the catalogue, earlier years, disclosure control) and then each format (HTML, PDF,
XLSX, CSV zip, JSON).

    .venv/bin/python benchmarks/report.py --victims 100000
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

YEAR = 2020
# Share of the victims in the report year; the rest spread over the five years before.
REPORT_YEAR_SHARE = 0.5


def create_victims(count: int, rng: random.Random) -> None:
    """N synthetic persons, each with one decided case (bulk_create straight into the
    tables: a benchmark, not the product's write path)."""
    from thb.accounts.models import Institution
    from thb.victims.models import Case, CaseExploitation, CasePlace, Person

    owner = Institution.objects.create(code="bench", name="Bench NGO", kind="service_provider")
    batch = 5000
    for offset in range(0, count, batch):
        size = min(batch, count - offset)
        people = Person.objects.bulk_create(
            Person(
                code=f"B-{offset + i:08d}",
                sex=rng.choice(["male", "female"]),
                citizenship=rng.choice(["LV", "TJ", "IN", "UZ", "UA", "RO", "BR", "GB"]),
            )
            for i in range(size)
        )
        years = [
            YEAR if rng.random() < REPORT_YEAR_SHARE else rng.randint(YEAR - 5, YEAR - 1)
            for _person in people
        ]
        forms = [rng.choice(["labour", "sexual", "forced_sham_marriage"]) for _person in people]
        sectors = [
            rng.choice(["construction", "agriculture"]) if form == "labour" else ""
            for form in forms
        ]
        cases = Case.objects.bulk_create(
            Case(
                person=person,
                institution=owner,
                status=rng.choice(["recognised"] * 9 + ["not_recognised"]),
                intake_date=date(year, 1, 1) + timedelta(days=rng.randint(0, 300)),
                decided_on=date(year, 1, 1) + timedelta(days=rng.randint(0, 360)),
                referral_channel=rng.choice(["self", "state_police", "social_service"]),
                age_at_identification=rng.randint(14, 60),
                education=rng.choice(["secondary", "basic", "higher"]),
                recruitment_method=rng.choice(["acquaintance", "internet", "employment_agency"]),
                primary_form=form,
                # The stored combination key the services maintain (victims.rules).
                exploitation_key=f"{form}.{sector}" if sector else form,
            )
            for person, year, form, sector in zip(people, years, forms, sectors, strict=True)
        )
        CaseExploitation.objects.bulk_create(
            CaseExploitation(case=case, form=form, sector=sector)
            for case, form, sector in zip(cases, forms, sectors, strict=True)
        )
        CasePlace.objects.bulk_create(
            CasePlace(case=case, country="LV", region=rng.choice(["riga", "latgale", "kurzeme"]))
            for case in cases
        )


def timed(label: str, fn: Callable[[], Any], repeat: int) -> Any:
    """Run fn `repeat` times; print the first (cold: imports, font caches) and the
    best time."""
    times: list[float] = []
    result: Any = None
    for _run in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    size = f"{len(result.content) / 1024:8.1f} KiB" if hasattr(result, "content") else ""
    print(f"{label:<36} first {times[0]:7.2f} s  best {min(times):7.2f} s {size}", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--victims", type=int, default=100_000, help="synthetic victims")
    parser.add_argument("--repeat", type=int, default=2, help="timed runs of each step")
    parser.add_argument("--language", default="lv", choices=["lv", "en"])
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

    from thb.reports.builder import build_document
    from thb.reports.formats import FORMATS, render
    from thb.reports.years import record_years

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}; creating {args.victims} victims ...", flush=True)
    started = time.perf_counter()
    create_victims(args.victims, random.Random(1))
    print(f"created in {time.perf_counter() - started:.1f} s")
    # The earlier years' columns: the years with records (the registry's, or else the
    # synthetic data's five earlier years).
    years = record_years() or set(range(YEAR - 5, YEAR + 1))
    for edition in ("internal", "public"):
        document = timed(
            f"build_document({YEAR}, {edition})",
            lambda edition=edition: build_document(  # type: ignore[misc]
                year=YEAR, language=args.language, edition=edition, years_with_records=years
            ),
            args.repeat,
        )
        identified = document.figures.get("victims.identified")
        print(f"  victims.identified = {identified}; {len(document.tables)} tables", flush=True)
        for fmt in FORMATS:
            timed(
                f"  {fmt}",
                lambda fmt=fmt, document=document: render(document, fmt),  # type: ignore[misc]
                args.repeat,
            )


if __name__ == "__main__":
    main()
