"""The embedded SQLite database runs in WAL mode, so that readers keep reading while a
writer (an import) holds its transaction, and a backup is still one self-contained
file. Each test runs `thb` in a fresh process on a database file of its own (the test
suite's own SQLite database lives in memory, where WAL does not apply)."""

from __future__ import annotations

import ast
import sqlite3
from pathlib import Path

import pytest

from thb.core.tests.cli import run_thb


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated file database, made once for the module."""
    path = tmp_path_factory.mktemp("wal")
    migrated = run_thb({"THB_VAR_DIR": str(path)}, "migrate", "--no-input", "-v", "0")
    assert migrated.returncode == 0, migrated.stderr
    return path


def _env(var_dir: Path, **extra: str) -> dict[str, str]:
    return {"THB_VAR_DIR": str(var_dir), **extra}


def test_the_database_file_is_in_wal_mode(var_dir: Path) -> None:
    with sqlite3.connect(var_dir / "thb.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_a_reader_is_not_stopped_by_a_large_open_write_transaction(var_dir: Path) -> None:
    """A writer whose transaction outgrows SQLite's page cache (a large import) would
    take the exclusive lock in rollback-journal mode and every reader would get
    "database is locked"; in WAL mode the reader gets the last committed state."""
    writer = sqlite3.connect(var_dir / "thb.sqlite3", isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute(
            "INSERT INTO accounts_institution (code, name, names, kind, active) "
            "VALUES ('committed', 'Committed', '{}', 'other', 1)"
        )
        writer.execute("COMMIT")
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("CREATE TABLE scratch (payload TEXT)")
        writer.executemany(
            "INSERT INTO scratch VALUES (?)", ((f"{i:08d}" * 1000,) for i in range(6000))
        )  # about 48 MB: far beyond the 2 MB page cache, so the transaction spills
        writer.execute(
            "INSERT INTO accounts_institution (code, name, names, kind, active) "
            "VALUES ('uncommitted', 'Uncommitted', '{}', 'other', 1)"
        )
        # A busy timeout of 1 s: a blocked reader would fail instead of waiting.
        read = run_thb(
            _env(var_dir, THB_SQLITE_BUSY_SECONDS="1"),
            "dumpdata",
            "accounts.institution",
            "--format",
            "jsonl",
        )
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert read.returncode == 0, read.stderr
    assert '"code": "committed"' in read.stdout
    assert "uncommitted" not in read.stdout


def test_a_backup_of_the_wal_database_is_one_self_contained_file(
    var_dir: Path, tmp_path: Path
) -> None:
    backup = tmp_path / "thb.backup"
    made = run_thb(_env(var_dir), "backup", str(backup))
    assert made.returncode == 0, made.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["thb.backup"]
    header = backup.read_bytes()[:100]
    assert header[18:20] == b"\x01\x01"  # rollback-journal format: no -wal file needed
    copy = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        (events,) = copy.execute("SELECT count(*) FROM audit_auditevent").fetchone()
        assert events >= 1  # the backup holds the event of its making
    finally:
        copy.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["thb.backup"]


def test_a_connection_reads_through_a_memory_map_and_sorts_in_memory(var_dir: Path) -> None:
    """The report's grouped queries over every case read the file through a memory map
    and a larger page cache, and sort in memory (THB_SQLITE_MMAP_MB, THB_SQLITE_CACHE_MB)."""
    shown = run_thb(
        _env(var_dir, THB_SQLITE_CACHE_MB="32"),
        "shell",
        "-c",
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    print([c.execute(f'PRAGMA {p}').fetchone()[0]"
        " for p in ('mmap_size', 'cache_size', 'temp_store')])",
    )
    assert shown.returncode == 0, shown.stderr
    mmap_size, cache_size, temp_store = ast.literal_eval(shown.stdout.strip().splitlines()[-1])
    # 2 GB asked; SQLite's build caps the map (at 2 GB less 64 KB by default).
    assert 1024**3 < mmap_size <= 2048 * 1024**2
    assert (cache_size, temp_store) == (-32 * 1024, 2)  # 32 MB; 2: MEMORY
