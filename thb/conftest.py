"""Shared test fixtures: institutions, the three personas (owner, colleague at another
institution, outsider) and the other roles, and a Playwright page in Debian Chromium."""

from __future__ import annotations

import fcntl
import os
import pickle
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from thb.accounts.models import Institution, InstitutionKind, Role, User

PASSWORD = "correct-horse-battery-staple"  # noqa: S105  (test users only)
CHROMIUM = os.environ.get("THB_CHROMIUM", "/usr/bin/chromium")


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Any) -> None:
    # Argon2 is deliberately slow; tests need no protection against brute force.
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _imports_inline(settings: Any) -> None:
    # An upload's import job runs in the request itself, in the test's transaction; the
    # background runners have their own tests (thb/interop/tests/test_import_jobs.py).
    settings.THB_IMPORT_RUNNER = "inline"


@pytest.fixture
def in_parts(settings: Any, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Imports of 10 rows or more staged by 2 worker processes, 4 rows a part
    (thb/interop/parallel.py); the list receives the result of each staging in parts,
    so that a test knows the workers ran."""
    from thb.interop import parallel

    settings.THB_IMPORT_WORKERS = 2
    settings.THB_IMPORT_PARALLEL_ROWS = 10
    monkeypatch.setattr(parallel, "PART_ROWS", 4)
    calls: list[Any] = []
    original = parallel.stage

    def stage(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[3])
        return (yield from original(*args, **kwargs))

    monkeypatch.setattr(parallel, "stage", stage)
    return calls


@pytest.fixture
def profile_copy(tmp_path: Path) -> Path:
    """A copy of the Latvian profile's directory, for a test to break one file of."""
    from thb.profiles.loader import PROFILES_DIR

    target = tmp_path / "lv"
    shutil.copytree(PROFILES_DIR / "lv", target)
    return target


@pytest.fixture
def make_institution(db: None) -> Callable[..., Institution]:
    def make(
        code: str, kind: str = InstitutionKind.SERVICE_PROVIDER, name: str = ""
    ) -> Institution:
        institution, _ = Institution.objects.get_or_create(
            code=code, defaults={"name": name or code.upper(), "kind": kind}
        )
        return institution

    return make


@pytest.fixture
def make_user(db: None, make_institution: Callable[..., Institution]) -> Callable[..., User]:
    def make(username: str, role: str, institution: Institution | str | None = None) -> User:
        if isinstance(institution, str):
            institution = make_institution(institution)
        user = User.objects.create_user(
            username=username, password=PASSWORD, role=role, institution=institution
        )
        return user

    return make


@pytest.fixture
def provider(make_institution: Callable[..., Institution]) -> Institution:
    return make_institution("marta", InstitutionKind.SERVICE_PROVIDER, "Centrs MARTA")


@pytest.fixture
def other_provider(make_institution: Callable[..., Institution]) -> Institution:
    return make_institution("drosa-maja", InstitutionKind.SERVICE_PROVIDER, "Drošā māja")


@pytest.fixture
def police(make_institution: Callable[..., Institution]) -> Institution:
    return make_institution("vp", InstitutionKind.STATE_POLICE, "Valsts policija")


@pytest.fixture
def ministry(make_institution: Callable[..., Institution]) -> Institution:
    return make_institution("iem", InstitutionKind.MINISTRY, "Iekšlietu ministrija")


@pytest.fixture
def owner(make_user: Callable[..., User], provider: Institution) -> User:
    """A caseworker of the institution that owns the records under test."""
    return make_user("owner", Role.CASEWORKER, provider)


@pytest.fixture
def colleague(make_user: Callable[..., User], other_provider: Institution) -> User:
    """A caseworker at another institution: same role, no access to the owner's records."""
    return make_user("colleague", Role.CASEWORKER, other_provider)


@pytest.fixture
def outsider(make_user: Callable[..., User], make_institution: Callable[..., Institution]) -> User:
    """A user with an unrelated role (a border-guard reporter)."""
    return make_user(
        "outsider", Role.REPORTER, make_institution("vrs", InstitutionKind.BORDER_GUARD)
    )


@pytest.fixture
def coordinator(make_user: Callable[..., User], ministry: Institution) -> User:
    return make_user("coordinator", Role.COORDINATOR, ministry)


@pytest.fixture
def auditor(make_user: Callable[..., User], ministry: Institution) -> User:
    return make_user("auditor", Role.AUDITOR, ministry)


@pytest.fixture
def client_for() -> Callable[..., Client]:
    """A test client logged in as the user; language="en" picks the English interface
    the way the language switch does (its cookie)."""

    def make(user: User, language: str | None = None) -> Client:
        client = Client()
        client.force_login(user)
        if language:
            client.cookies["django_language"] = language
        return client

    return make


@pytest.fixture
def post_confirmed() -> Callable[..., Any]:
    """Submit a form that has a check-your-answers step (the intake, the decision): post
    the answers, then confirm them. Returns the form's answer as it is when the answers
    are not valid (no review page), else the answer to the confirm."""

    def post(client: Client, url: str, data: dict[str, Any]) -> Any:
        first = client.post(url, data)
        if first.status_code != 200 or b'name="step" value="confirm"' not in first.content:
            return first
        return client.post(url, {"step": "confirm"})

    return post


# Browser tests: Playwright driving Debian's Chromium (never Playwright's own download).


def chromium_available() -> bool:
    return os.path.exists(CHROMIUM) or shutil.which("chromium") is not None


# What makes a test open the database (pytest-django's mark and fixtures), or read
# DATABASE_URL in a process of its own (the `uses_database` mark).
DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "django_db_setup",
        "live_server",
    }
)


def pytest_addoption(parser: Any) -> None:
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="Leave out the tests that never open a database (no django_db mark, no "
        "database fixture, no uses_database mark). For a second run of the suite on "
        "another database (.ci/run on PostgreSQL): those tests would prove nothing new.",
    )


def uses_database(item: Any) -> bool:
    return (
        item.get_closest_marker("django_db") is not None
        or item.get_closest_marker("uses_database") is not None
        or not DATABASE_FIXTURES.isdisjoint(getattr(item, "fixturenames", ()))
    )


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    if config.getoption("--database-tests-only"):
        kept: list[Any] = []
        left_out: list[Any] = []
        for item in items:
            (kept if uses_database(item) else left_out).append(item)
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept
    # With `-n 2 --dist loadgroup` (make test), the browser tests run in one worker (one
    # live server, one Chromium at a time). The tests on the demo data are spread over
    # the workers, which share one snapshot of the demo (_shared_snapshot).
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.xdist_group("browser"))
    if chromium_available():
        return
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}: browser tests skipped")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def pytest_report_header(config: Any) -> str:
    if chromium_available():
        return f"browser tests: Chromium at {CHROMIUM}"
    return f"browser tests: SKIPPED, no Chromium at {CHROMIUM} (apt-get install chromium)"


@pytest.fixture
def page(live_server: Any) -> Iterator[Any]:
    """A Playwright page in headless Debian Chromium, with base_url at the live server."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made
    # by the test itself are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        context = browser.new_context(base_url=live_server.url, locale="lv-LV")
        context.set_default_timeout(15000)
        page = context.new_page()
        click = page.click

        def click_and_settle(selector: str, **kwargs: Any) -> None:
            # A click that follows a link or submits a form returns once the navigation
            # has started; on a loaded machine the new document may still be empty
            # when the test reads it. Wait until it has been parsed (a click that
            # navigates nowhere finds the current document loaded and goes on).
            click(selector, **kwargs)
            page.wait_for_load_state("domcontentloaded")

        page.click = click_and_settle  # type: ignore[method-assign]
        try:
            yield page
        finally:
            context.close()
            browser.close()
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def login(page: Any, username: str, password: str = PASSWORD) -> None:
    """Log in through the real login form."""
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login" not in url)


# The demo data set, built once per test session (per xdist worker) -------------------
#
# `thb demo` takes tens of seconds; many tests need its data. The first test that asks
# for `demo` loads it inside a transaction, copies every table it changed, and rolls
# back; each test that asks for it then gets those rows written straight back into its
# own transaction (a fraction of a second), on SQLite and PostgreSQL alike. Tests that
# do not ask for it keep their empty database.


class DemoSnapshot:
    """The content of every table the demo changed (the whole table, so that rows it
    updated come back as it left them): COPY text on PostgreSQL, raw rows on SQLite."""

    def __init__(self, tables: dict[str, Any]) -> None:
        self.tables = tables

    @staticmethod
    def _read() -> dict[str, Any]:
        from django.db import connection

        quote = connection.ops.quote_name
        out: dict[str, Any] = {}
        with connection.cursor() as cursor:
            raw = cursor.cursor
            for table in sorted(connection.introspection.table_names(include_views=False)):
                if connection.vendor == "postgresql":
                    with raw.copy(f"COPY {quote(table)} TO STDOUT") as copy:
                        out[table] = b"".join(bytes(block) for block in copy)
                else:
                    cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608
                    columns = [col[0] for col in cursor.description]
                    out[table] = (columns, cursor.fetchall())
        return out

    @classmethod
    def take(cls) -> DemoSnapshot:
        """Load the demo in a transaction that is rolled back; keep what it changed."""
        from io import StringIO

        from django.core.management import call_command
        from django.db import transaction
        from django.test import override_settings

        # The fast hasher of the tests (_fast_hashing), also where the snapshot is taken
        # in a module-scoped fixture: Argon2 costs ~0.7 s for each of the demo's users.
        with transaction.atomic(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
            before = cls._read()
            call_command("demo", quiet_passwords=True, stdout=StringIO())
            after = cls._read()
            transaction.set_rollback(True)
        return cls({t: data for t, data in after.items() if before.get(t) != data})

    def restore(self) -> None:
        """Write the tables back inside the caller's transaction (the foreign keys of
        SQLite and PostgreSQL are checked at commit, so the order does not matter)."""
        from django.core.cache import caches
        from django.db import connection

        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            raw = cursor.cursor
            for table, data in self.tables.items():
                cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608
                if connection.vendor == "postgresql":
                    with raw.copy(f"COPY {quote(table)} FROM STDIN") as copy:
                        copy.write(data)
                    # Serial columns go on after the restored ids.
                    for sequence in connection.introspection.get_sequences(cursor, table):
                        column = quote(sequence["column"])
                        cursor.execute(
                            f"SELECT setval(%s, MAX({column})) FROM {quote(table)} "  # noqa: S608
                            f"HAVING MAX({column}) IS NOT NULL",
                            [sequence["name"]],
                        )
                elif data[1]:
                    columns, rows = data
                    names = ", ".join(quote(c) for c in columns)
                    marks = ", ".join("?" * len(columns))
                    raw.executemany(
                        f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})",  # noqa: S608
                        rows,
                    )
        # Nothing computed from another test's records may survive in a cache.
        for cache in caches.all():
            cache.clear()


_demo_snapshot: DemoSnapshot | None = None
# Where the xdist workers of one run share the snapshot (set by _demo_share_dir).
_share_dir: list[Path] = []


@pytest.fixture(scope="session", autouse=True)
def _demo_share_dir(tmp_path_factory: pytest.TempPathFactory, request: Any) -> None:
    """The run's temporary directory that every xdist worker sees (each worker's own
    base directory is a child of it); pytest deletes old runs' directories itself."""
    base = tmp_path_factory.getbasetemp()
    _share_dir[:] = [base.parent if hasattr(request.config, "workerinput") else base]


def _shared_snapshot() -> DemoSnapshot:
    """The first worker to need the demo builds it and writes the snapshot to the run's
    shared directory, under a lock; the other workers read it (the demo takes 20-80 s,
    most on PostgreSQL, where each of its statements is a round trip)."""
    if not _share_dir:
        return DemoSnapshot.take()
    from django.db import connection

    path = _share_dir[0] / f"thb-demo-{connection.vendor}.pickle"
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path.exists():
            return DemoSnapshot(pickle.loads(path.read_bytes()))  # noqa: S301 (our own file)
        snapshot = DemoSnapshot.take()
        temporary = path.with_suffix(".partial")
        temporary.write_bytes(pickle.dumps(snapshot.tables, protocol=pickle.HIGHEST_PROTOCOL))
        temporary.replace(path)
        return snapshot


def demo_snapshot() -> DemoSnapshot:
    """The run's demo snapshot (taken on first use, in a database access that the caller
    has unblocked), for module-scoped fixtures: `demo_snapshot().restore()`."""
    global _demo_snapshot
    if _demo_snapshot is None:
        _demo_snapshot = _shared_snapshot()
    return _demo_snapshot


def store_figures() -> None:
    """Compute and store the figures of every year with records, as a running THB keeps
    them after the first page that shows them (thb/reports/cache.py). For module
    fixtures that run each request in a transaction rolled back afterwards: without
    this, every statistics page computes the figures again and throws them away."""
    from thb.core.years import default_year, record_years
    from thb.reports.cache import stored

    for year in record_years() | {default_year()}:
        stored(year)


@pytest.fixture
def demo(db: None) -> None:
    """The demo data set (`thb demo`) in this test's database: built once per run (the
    xdist workers share it), restored into each test that asks for it."""
    demo_snapshot().restore()
