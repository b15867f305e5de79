"""Benchmark: THB at scale, the report against hand-written SQL, and the case pages.

    .venv/bin/python benchmarks/scale.py --victims 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thb_scale .venv/bin/python \\
        benchmarks/scale.py --victims 100000

Generates N synthetic victims with their cases, decisions, profiles, services,
residence tracks, proceedings, activity records and helpline contacts
(benchmarks/scale_data.py, bulk inserts), then, on the same database and interleaved,
best of --repeat rounds, times:

- the full JSON report, as `thb report YEAR --format json` builds it;
- the figures of the victims, support and justice tables alone (`compute_figures`);
- the hand-written SQL of benchmarks/scale.sql computing the same tables, whose cells
  are checked equal to the report's figures (it stops loudly on a mismatch);
- the case list and a case page through the test client as a caseworker of an
  institution that owns cases (p50 and p95 over --requests requests each).

Without DATABASE_URL it uses a scratch SQLite file (--sqlite PATH; an existing file
with data is reused with --reuse). Use a scratch PostgreSQL database: it is emptied.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

YEAR = 2020
SQL_FILE = Path(__file__).with_suffix(".sql")
PREFIXES = ("victims.", "support.", "justice.")


# Hand-written SQL ------------------------------------------------------------------


def sql_statements() -> dict[str, str]:
    """The named statements of scale.sql."""
    text = SQL_FILE.read_text()
    statements = {}
    for chunk in re.split(r"^-- name: ", text, flags=re.MULTILINE)[1:]:
        name, _newline, body = chunk.partition("\n")
        statements[name.strip()] = body.strip().rstrip(";")
    return statements


def report_years() -> list[int]:
    """The years whose figures the report reads: the year and the earlier years its
    tables compare with (those with records)."""
    from thb.profiles import get_profile
    from thb.reports.years import record_years

    profile = get_profile()
    count = max(
        (t.earlier_years for c in profile.report_chapters for b in c.blocks if (t := b.table)),
        default=0,
    )
    found = record_years()
    return [YEAR, *(y for y in range(YEAR - count, YEAR) if y in found)]


def run_sql(statements: dict[str, str], year: int = YEAR) -> dict[str, list[dict[str, Any]]]:
    """Every statement, with the year's parameters; rows as dicts."""
    from django.db import connection

    from thb.profiles import get_profile

    profile = get_profile()
    params: dict[str, Any] = {
        "year": year,
        "y_start": date(year, 1, 1),
        "y_end": date(year, 12, 31),
        "p_start": date(year - 1, 1, 1),
        "majority": profile.country.age_of_majority,
        "home": profile.country.code,
    }
    runs = {name: [params] for name in statements}
    runs["justice_pending"] = [
        {**params, "at": date(year, 1, 1), "which": "pending_at_start"},
        {**params, "at": date(year + 1, 1, 1), "which": "pending_at_end"},
    ]
    out: dict[str, list[dict[str, Any]]] = {}
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for name, sql in statements.items():
            rows: list[dict[str, Any]] = []
            for values in runs[name]:
                used = set(re.findall(r":(\w+)", sql))
                bound = {k: v for k, v in values.items() if k in used}
                if connection.vendor == "postgresql":
                    query = re.sub(r"(?<!:):(\w+)", r"%(\1)s", sql)
                else:
                    query = sql
                    bound = {
                        k: v.isoformat() if isinstance(v, date) else v for k, v in bound.items()
                    }
                raw.execute(query, bound)
                columns = [col[0] for col in raw.description]
                extra = {"which": values["which"]} if "which" in values else {}
                rows.extend({**dict(zip(columns, row, strict=True)), **extra} for row in raw)
            out[name] = rows
    return out


# The check: each figure as a sum of the SQL's cells --------------------------------


def _codes(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


class Expected:
    """The value of each figure of the victims, support and justice tables, read from
    the hand-written SQL's rows (an independent reading of the catalogue's filters)."""

    STATUSES = {
        "recognised": {"recognised"},
        "not_recognised": {"not_recognised"},
        "assessed": {"recognised", "not_recognised"},
    }

    def __init__(self, rows: dict[str, list[dict[str, Any]]]) -> None:
        from thb.profiles import get_profile

        self.rows = rows
        self.profile = get_profile()
        self.home = self.profile.country.code
        self.bands = {b.code: (b.min_age, b.max_age) for b in self.profile.age_groups}

    # victims.cases / victims.places: a predicate over a row of a victims statement.
    def _pred(self, figure: Any) -> tuple[set[str], Callable[[dict[str, Any]], bool]]:
        f = figure.filter
        tests: list[Callable[[dict[str, Any]], bool]] = []
        dims: set[str] = set()
        statuses = self.STATUSES[str(f("status", "recognised"))]
        tests.append(lambda r: r["status"] in statuses)

        def code_in(dim: str, codes: list[str], blank: str | None = None) -> None:
            dims.add(dim)
            wanted = set(codes) | ({""} if blank is not None and blank in codes else set())
            tests.append(lambda r: (r[dim] or "") in wanted)

        if f("group"):
            code_in("grp", _codes(f("group")))
        for name, dim in (("sex", "sex"), ("primary_form", "form")):
            if f(name):
                code_in(dim, _codes(f(name)))
        if f("citizenship"):
            code_in("citizenship", _codes(f("citizenship")), "unknown")
        if f("exploitation"):
            code_in("exploitation", _codes(f("exploitation")), "unknown")
        for name in ("recruitment", "education", "referral"):
            if f(name):
                dims.add(name)
                codes = set(_codes(f(name)))
                tests.append(lambda r, name=name, codes=codes: r.get(name) in codes)
        if f("age_group"):
            dims.add("age")
            codes = _codes(f("age_group"))

            def in_band(r: dict[str, Any], codes: list[str] = codes) -> bool:
                age = r["age"]
                if age is None:
                    return "unknown" in codes
                return any(
                    code != "unknown"
                    and age >= self.bands[code][0]
                    and (self.bands[code][1] is None or age <= self.bands[code][1])
                    for code in codes
                )

            tests.append(in_band)
        if f("country"):
            dims.add("country")
            codes = _codes(f("country"))
            tests.append(
                lambda r, codes=codes: (
                    r["country"] is None if codes == ["unknown"] else r["country"] in codes
                )
            )
        if f("region"):
            dims.update({"country", "region"})
            codes = set(_codes(f("region")))
            if "region_unknown" in codes:
                codes.add("")
            tests.append(lambda r, codes=codes: r["country"] == self.home and r["region"] in codes)
        if f("abroad"):
            dims.add("country")
            tests.append(lambda r: r["country"] is not None and r["country"] != self.home)
        if f("injured_party_in"):
            dims.add("injured")
        others = []
        for other_id in _codes(f("rest_of")):
            other_dims, other_test = self._pred(self.profile.figure(other_id))
            dims |= other_dims
            others.append(other_test)
        return dims, lambda r: all(t(r) for t in tests) and not any(o(r) for o in others)

    # victims.trends: one dimension a figure (the catalogue's), a case once per code.
    TRENDS = ("factor", "any_factor", "platform", "route", "transit", "any_transit")

    def trends(self, figure: Any) -> int:
        f = figure.filter
        statuses = self.STATUSES[str(f("status", "recognised"))]
        sexes = set(_codes(f("sex")))
        foreign = f("foreign") is True
        given = [name for name in self.TRENDS if f(name) not in (None, False)]
        if len(given) != 1:
            raise ValueError(f"{figure.id}: the hand-written SQL reads one trends dimension")
        (name,) = given
        codes = [] if name.startswith("any_") else _codes(f(name))
        if len(codes) > 1:
            raise ValueError(f"{figure.id}: the hand-written SQL reads one code a figure")
        return sum(
            int(r["n"])
            for r in self.rows["victims_trends"]
            if r["dim"] == name
            and (not codes or r["code"] == codes[0])
            and r["status"] in statuses
            and (not sexes or r["sex"] in sexes)
            and (not foreign or int(r["foreign_citizen"]) == 1)
        )

    def victims(self, figure: Any) -> int:
        if figure.measure == "victims.trends":
            return self.trends(figure)
        dims, test = self._pred(figure)
        if "injured" in dims:
            rows = self.rows["victims_injured"]
        elif figure.measure == "victims.places":
            rows = self.rows["victims_places"]
        elif dims & {"recruitment", "education", "referral"}:
            (dim,) = dims & {"recruitment", "education", "referral"}
            rows = [{**r, dim: r["code"]} for r in self.rows["victims_profile"] if r["dim"] == dim]
        elif "age" in dims:
            rows = self.rows["victims_age"]
        else:
            rows = self.rows["victims_core"]
        return sum(int(r["n"]) for r in rows if test(r))

    def support(self, figure: Any) -> float:
        if figure.measure == "support.funding":
            return float(self.rows["support_funding"][0][str(figure.filter("amount"))])
        row = self.rows["support_compensation"][0]
        if figure.filter("value") == "persons":
            return float(row["persons"])
        return round(float(row["total"]) / row["persons"], 2) if row["persons"] else 0.0

    def justice(self, figure: Any) -> float:
        from thb.justice.figures import section_codes

        f = figure.filter
        measure = figure.measure
        if measure == "justice.non_punishment":
            kind = str(f("kind"))
            administrative = {
                s.code
                for s in self.profile.legal_sections
                if s.group == "non_punishment" and s.law == "administrative_liability_law"
            }

            def kind_of(r: dict[str, Any]) -> str:
                if r["outcome"] == "penalty_applied":
                    return "penalties_applied"
                if r["legal_basis"] in administrative:
                    return "released_administrative"
                return "released_criminal"

            return sum(r["n"] for r in self.rows["justice_non_punishment"] if kind_of(r) == kind)
        (code,) = section_codes(f("sections"))  # the catalogue names one section a figure

        def person(r: dict[str, Any]) -> bool:
            citizenship = f("citizenship")
            if citizenship is not None:
                wanted = "" if citizenship == "unknown" else citizenship
                if (r["citizenship"] or "") != wanted:
                    return False
            return f("sex") is None or r["sex"] == f("sex")

        rows_of = {k: [r for r in v if r.get("code") == code] for k, v in self.rows.items()}
        if measure == "justice.proceedings":
            form = f("form")
            forms = {
                x.code for x in self.profile.exploitation_forms if form in (x.code, x.headline)
            }
            return sum(
                r["n"]
                for r in rows_of["justice_proceedings"]
                if form is None or (r["form"] == "" if form == "unknown" else r["form"] in forms)
            )
        if measure == "justice.injured_parties":
            return sum(r["n"] for r in rows_of["justice_injured"] if person(r))
        if measure == "justice.persons":
            if f("role") == "suspects":
                return sum(r["n"] for r in rows_of["justice_suspects"] if person(r))
            return sum(r["persons"] for r in rows_of["justice_convicted"] if person(r))
        if measure == "justice.sentences":
            prefix = {
                "deprivation_conditional": "conditional",
                "deprivation_real": "real",
                "probation": "probation",
                "fine": "fine",
            }[str(f("penalty"))]
            value = str(f("value", "persons"))
            column = {
                "persons": "persons",
                "min_months": "min",
                "max_months": "max",
                "total_eur": "total",
            }
            cells = [r[f"{prefix}_{column[value]}"] for r in rows_of["justice_convicted"]]
            cells = [c for c in cells if c is not None]
            if value == "min_months":
                return float(min(cells, default=0))
            if value == "max_months":
                return float(max(cells, default=0))
            return float(sum(cells))
        if measure == "justice.property_arrested":
            return float(sum(r["value"] for r in rows_of["justice_property"]))
        if measure == "justice.stage":
            stage = str(f("stage"))
            event = f("event")
            if event in ("pending_at_start", "pending_at_end"):
                return sum(
                    r["n"]
                    for r in rows_of["justice_pending"]
                    if r["level"] == stage and r["which"] == event
                )
            kind = stage if event is None else f"{stage}_{event}"
            column = "proceedings" if event is None else "events"
            if f("count") == "persons":
                column = "persons"
            return sum(r[column] for r in rows_of["justice_stages"] if r["kind"] == kind)
        raise KeyError(measure)

    def value(self, figure: Any) -> float:
        if figure.measure.startswith("victims."):
            return self.victims(figure)
        if figure.measure.startswith("support."):
            return self.support(figure)
        return self.justice(figure)


def check(figures: dict[str, Any], rows: dict[str, list[dict[str, Any]]]) -> int:
    """Stops with the list of figures whose report value differs from the SQL's."""
    from thb.reports.catalogue import catalogue

    expected = Expected(rows)
    wrong = []
    for figure_id, value in figures.items():
        figure = catalogue()[figure_id]
        want = expected.value(figure)
        if abs(float(value) - float(want)) > 0.011:
            wrong.append(f"{figure_id}: report {value}, SQL {want}")
    nonzero = sum(1 for value in figures.values() if value)
    print(f"  {nonzero} of {len(figures)} figures are not zero", flush=True)
    if wrong:
        sys.exit("MISMATCH between the report and the hand-written SQL:\n  " + "\n  ".join(wrong))
    return len(figures)


# Timing ----------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--victims", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="rounds; the best is printed")
    parser.add_argument("--requests", type=int, default=30, help="requests per page")
    parser.add_argument("--sqlite", default="", help="SQLite file (default: a scratch one)")
    parser.add_argument("--reuse", action="store_true", help="keep the data already there")
    parser.add_argument("--profile", default="", help="cProfile the report into this file")
    parser.add_argument("--generate-only", action="store_true", help="generate, time nothing")
    parser.add_argument(
        "--pages-only", action="store_true", help="time the case pages alone (no report, no SQL)"
    )
    parser.add_argument(
        "--close-earlier",
        action="store_true",
        help="then mark the earlier years' reports final (closed years, as a running "
        "installation has them) and time the report again: it reads their snapshots",
    )
    args = parser.parse_args()

    # The key files live beside the database, so that --reuse reads what it wrote.
    if "DATABASE_URL" not in os.environ:
        path = args.sqlite or f"{tempfile.mkdtemp(prefix='thb-scale-')}/scale.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
        var = f"{path}.var"
    else:
        name = os.environ["DATABASE_URL"].rstrip("/").rsplit("/", 1)[-1]
        var = f"{tempfile.gettempdir()}/thb-scale-{name}.var"
    os.makedirs(var, exist_ok=True)
    os.environ.setdefault("THB_VAR_DIR", var)
    os.environ["DJANGO_SETTINGS_MODULE"] = "thb.settings"
    os.environ.setdefault("THB_DEBUG", "false")  # as in production: no query logging
    import django

    django.setup()
    import scale_data
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client

    from thb.accounts.models import User
    from thb.reports.catalogue import catalogue, compute_figures
    from thb.reports.selectors import report_file
    from thb.victims.models import Case

    if connection.vendor == "postgresql" and not args.reuse:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}", flush=True)
    if not (args.reuse and Case.objects.exists()):
        started = time.perf_counter()
        with transaction.atomic():
            counts = scale_data.generate(args.victims)
        with connection.cursor() as cursor:
            # Planner statistics, as PostgreSQL's autovacuum gathers them (SQLite: what
            # `PRAGMA optimize` does).
            cursor.execute("ANALYZE")
        took = time.perf_counter() - started
        total = sum(counts.values())
        print(f"generated {total:,} rows for {args.victims:,} victims in {took:.1f} s")
        for label, count in counts.items():
            print(f"  {label:<32} {count:>11,}")
    if args.generate_only:
        return
    victims = Case.objects.count()
    ids = [i for i in catalogue() if i.startswith(PREFIXES)]
    statements = sql_statements()

    # The caseworker of the provider with the most cases; one of its cases.
    worker = User.objects.filter(role="caseworker").order_by("username").first()
    assert worker is not None
    code = (
        Case.objects.filter(institution=worker.institution)
        .values_list("person__code", flat=True)[:1]
        .get()
    )
    # A plain client on an allowed host: without the test environment's template
    # instrumentation, so that the times are the server's.
    client = Client(HTTP_HOST="localhost")
    client.force_login(worker)
    pages = {"case list": "/cases/", "case page": f"/cases/{code}/"}
    for url in pages.values():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    # What the web process does at start (thb/wsgi.py).
    from thb.core.startup import settle

    settle()

    def report() -> bytes:
        return report_file(year=YEAR, language="lv", edition="internal", fmt="json").content

    years = report_years()
    times: dict[str, list[float]] = {"report": [], "figures": [], "sql": [], "sql_years": []}
    page_times: dict[str, list[float]] = {name: [] for name in pages}
    # This process's CPU time per request: the server's Python work, without waiting
    # for the CPU on a loaded machine (nor for a PostgreSQL server's own work).
    page_cpu: dict[str, list[float]] = {name: [] for name in pages}
    per_round = max(1, args.requests // args.repeat)
    checked = 0
    # This process's CPU time as well: on SQLite (in process) it is the whole work,
    # which a machine loaded by others does not inflate as it does the wall clock.
    cpu: dict[str, list[float]] = {name: [] for name in times}

    def time_pages() -> None:
        for name, url in pages.items():
            for _i in range(per_round):
                t = time.perf_counter()
                thread_cpu = time.thread_time()
                response = client.get(url)
                page_times[name].append(time.perf_counter() - t)
                page_cpu[name].append(time.thread_time() - thread_cpu)
                assert response.status_code == 200

    for _round in range(args.repeat):
        if args.pages_only:
            time_pages()
            continue
        t, c = time.perf_counter(), time.process_time()
        report()
        times["report"].append(time.perf_counter() - t)
        cpu["report"].append(time.process_time() - c)
        t, c = time.perf_counter(), time.process_time()
        figures = compute_figures(YEAR, ids)
        times["figures"].append(time.perf_counter() - t)
        cpu["figures"].append(time.process_time() - c)
        t, c = time.perf_counter(), time.process_time()
        rows = run_sql(statements)
        times["sql"].append(time.perf_counter() - t)
        cpu["sql"].append(time.process_time() - c)
        checked = check(figures, rows)
        t, c = time.perf_counter(), time.process_time()
        for year in years:
            run_sql(statements, year)
        times["sql_years"].append(time.perf_counter() - t)
        cpu["sql_years"].append(time.process_time() - c)
        time_pages()
    closed_times: list[float] = []
    closed_cpu: list[float] = []
    if args.close_earlier and not args.pages_only:
        from thb.accounts.models import Institution, Role
        from thb.reports.cache import closed_versions
        from thb.reports.services import report_version_freeze

        coordinator = User.objects.filter(role=Role.COORDINATOR).first()
        if coordinator is None:
            ministry = Institution.objects.order_by("id").first()
            coordinator = User.objects.create(
                username="coordinator", role=Role.COORDINATOR, institution=ministry
            )
        t = time.perf_counter()
        for year in sorted(y for y in years if y != YEAR):
            if year not in closed_versions():
                report_version_freeze(actor=coordinator, year=year)
        print(f"closed the years {sorted(closed_versions())} in {time.perf_counter() - t:.1f} s")
        for _round in range(args.repeat):
            t, c = time.perf_counter(), time.process_time()
            report()
            closed_times.append(time.perf_counter() - t)
            closed_cpu.append(time.process_time() - c)
    if args.profile:
        import cProfile

        cProfile.runctx("report()", globals(), {"report": report}, args.profile)

    print()
    if args.pages_only:
        print(f"{victims:,} victims on {connection.vendor}; the case pages alone")
    else:
        best = {name: min(values) for name, values in times.items()}
        print(f"{victims:,} victims on {connection.vendor}; {checked} figures checked equal to SQL")
        print(f"{'full JSON report (thb report --format json)':<48} {best['report']:8.2f} s")
        print(f"{'figures of the victims/support/justice tables':<48} {best['figures']:8.2f} s")
        print(f"{'hand-written SQL (benchmarks/scale.sql)':<48} {best['sql']:8.2f} s")
        label = f"the same SQL for the {len(years)} years the report reads"
        print(f"{label:<48} {best['sql_years']:8.2f} s")
        print(
            f"{'ratio report / SQL of its years':<48} {best['report'] / best['sql_years']:8.2f} x"
        )
        print(f"{'ratio figures / SQL (one year)':<48} {best['figures'] / best['sql']:8.2f} x")
        if closed_times:
            label = "full JSON report, the earlier years closed"
            print(
                f"{label:<48} {min(closed_times):8.2f} s (CPU {min(closed_cpu):.2f} s); "
                f"/ SQL (one year) {min(closed_times) / best['sql']:.2f} x"
            )
        least = {name: min(values) for name, values in cpu.items()}
        print(
            f"{'CPU time of this process (s)':<48} report {least['report']:.2f}, "
            f"figures {least['figures']:.2f}, SQL {least['sql']:.2f}, "
            f"SQL of its years {least['sql_years']:.2f}"
        )
        if least["sql_years"] and least["sql"]:
            print(
                f"{'CPU ratios report / SQL of its years, figures / SQL':<48} "
                f"{least['report'] / least['sql_years']:.2f} x, "
                f"{least['figures'] / least['sql']:.2f} x"
            )
    for name, values in page_times.items():
        p50 = statistics.median(values) * 1000
        p95 = percentile(values, 0.95) * 1000
        label = f"{name} ({len(values)} requests)"
        cpu = page_cpu[name]
        cpu50, cpu95 = statistics.median(cpu) * 1000, percentile(cpu, 0.95) * 1000
        print(
            f"{label:<48} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms"
            f"  (CPU p50 {cpu50:5.1f} ms, p95 {cpu95:5.1f} ms)"
        )


if __name__ == "__main__":
    main()
