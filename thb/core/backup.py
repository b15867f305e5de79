"""Backups that keep the ciphertext: the SQLite online backup API (a consistent copy
while THB runs) or PostgreSQL's pg_dump/pg_restore (custom format). Encrypted fields
are copied as stored, so a backup is no more readable than the database; the keys are
backed up apart from it (docs/operations.md)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import connection

from thb.lib.crypto import KeyError_
from thb.lib.files import ensure_private_file


class BackupError(RuntimeError):
    """The backup or restore cannot be made; nothing was changed."""


def database_backup(path: Path) -> None:
    """Write a copy of the whole database to `path` (a new file, mode 0600)."""
    if path.exists():
        raise BackupError(f"{path} exists; choose a new file name")
    if connection.vendor == "sqlite":
        _sqlite_backup(path)
    elif connection.vendor == "postgresql":
        ensure_private_file(path)
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={path}"])
    else:
        raise BackupError(f"no backup method for the {connection.vendor} database")


def database_restore(path: Path, *, force: bool = False) -> None:
    """Restore `path` into the configured database, which must be empty unless `force`."""
    if not path.is_file():
        raise BackupError(f"{path} is not a file")
    if not force and _has_tables():
        raise BackupError(
            "The configured database is not empty. Restore into a new, empty database, "
            "or pass --force to replace what it holds."
        )
    if connection.vendor == "sqlite":
        _sqlite_restore(path)
    elif connection.vendor == "postgresql":
        args = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error"]
        if force:
            args += ["--clean", "--if-exists"]
        _run([*args, "--single-transaction", "--dbname", _pg_settings()["PGDATABASE"], str(path)])
    else:
        raise BackupError(f"no restore method for the {connection.vendor} database")


def unreadable_encrypted_fields() -> list[str]:
    """The encrypted fields whose stored values the configured keys cannot read (empty:
    the keys belong to this data). One value of each field is tried."""
    unreadable: list[str] = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not getattr(field, "holds_ciphertext", False):
                continue
            rows = model._default_manager.exclude(**{field.attname: ""}).exclude(
                **{f"{field.attname}__isnull": True}
            )
            try:
                rows.values_list(field.attname, flat=True).first()
            except KeyError_:
                unreadable.append(f"{model._meta.label}.{field.name}")
    return unreadable


def _sqlite_backup(path: Path) -> None:
    ensure_private_file(path)
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        # One step, so the copy is the last committed state even while an import or
        # another writer works (WAL: the backup's read does not wait for writers).
        connection.connection.backup(target)
        # The copy inherits the live database's WAL mode; a backup is one self-contained
        # file, readable without -wal/-shm companions.
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()


def _sqlite_restore(path: Path) -> None:
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if source.execute("PRAGMA integrity_check").fetchone() != ("ok",):
            raise BackupError(f"{path} fails SQLite's integrity check")
        tables = {r[0] for r in source.execute("SELECT name FROM sqlite_master")}
        if "django_migrations" not in tables:
            raise BackupError(f"{path} is not a THB database backup")
        connection.ensure_connection()
        source.backup(connection.connection)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a SQLite database: {error}") from None
    finally:
        source.close()


def _has_tables() -> bool:
    with connection.cursor() as cursor:
        return bool(connection.introspection.table_names(cursor))


def _pg_settings() -> dict[str, str]:
    """libpq's environment for the configured database (the password never appears on
    a command line, where other users of the machine could read it)."""
    db: dict[str, Any] = connection.settings_dict
    env = {
        "PGDATABASE": str(db["NAME"]),
        "PGHOST": str(db.get("HOST") or ""),
        "PGPORT": str(db.get("PORT") or ""),
        "PGUSER": str(db.get("USER") or ""),
        "PGPASSWORD": str(db.get("PASSWORD") or ""),
    }
    return {k: v for k, v in env.items() if v}


def _run(args: list[str]) -> None:
    if shutil.which(args[0]) is None:
        raise BackupError(f"{args[0]} is not installed (PostgreSQL client tools are needed)")
    result = subprocess.run(
        args,
        env={**os.environ, **_pg_settings()},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"{args[0]} failed: {result.stderr.strip()[:2000]}")
