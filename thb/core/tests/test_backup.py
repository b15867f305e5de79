"""`thb backup` and `thb restore`: back up the demo, restore it into an empty database
in a fresh process, and get the same report and a verifying audit chain. Backups and
`dumpdata` never hold identities in plain text."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from thb.conftest import demo_snapshot
from thb.core.tests.cli import run_thb
from thb.lib import crypto
from thb.victims.tests.factories import make_case


def _thb(env_changes: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run_thb(env_changes, *args, timeout=600)


def _keys() -> dict[str, str]:
    """The keys this test process uses, for the restoring process."""
    from django.conf import settings

    field_keys = crypto.load_keys(
        settings.THB_FIELD_KEYS, Path(settings.THB_FIELD_KEY_FILE), create=False
    )
    return {
        "THB_FIELD_KEYS": ",".join(field_keys),
        "THB_AUDIT_KEYS": ",".join(crypto.audit_keys(create=False)),
    }


@pytest.fixture
def empty_database(tmp_path):
    """Environment of a new, empty database of the same vendor as the test database."""
    if connection.vendor == "sqlite":
        yield {"THB_VAR_DIR": str(tmp_path / "restored")}
        return
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump/pg_restore are not installed")
    name = f"thb_restore_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}/{name}"
    try:
        yield {"THB_VAR_DIR": str(tmp_path / "restored"), "DATABASE_URL": url}
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _without_time(report: str) -> dict[str, object]:
    data = json.loads(report)
    data.get("metadata", {}).pop("generated_at", None)
    return data


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_an_empty_database_gives_the_same_report(tmp_path, empty_database):
    # The demo (`thb demo`'s rows, from the session's snapshot), committed: the backup
    # reads the database from outside this connection's transaction.
    with transaction.atomic():
        demo_snapshot().restore()
    before = StringIO()
    call_command("report", "2020", format="json", stdout=before)
    backup = tmp_path / "thb.backup"
    call_command("backup", str(backup), stdout=StringIO())
    assert oct(backup.stat().st_mode & 0o777) == "0o600"

    env = {**empty_database, **_keys()}
    restored = _thb(env, "restore", str(backup))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "audit chain" in restored.stdout
    after = _thb(env, "report", "2020", "--format", "json")
    assert after.returncode == 0, after.stderr
    # The same report, but for the moment it was generated.
    assert _without_time(after.stdout) == _without_time(before.getvalue())
    verified = _thb(env, "audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr


@pytest.mark.django_db(transaction=True)
def test_the_backup_keeps_identities_encrypted(owner, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("reads the SQLite backup file")
    make_case(owner, given_names="Zigfrīda", surname="Unikālvārde")
    backup = tmp_path / "thb.backup"
    call_command("backup", str(backup), stdout=StringIO())
    content = backup.read_bytes()
    assert "Unikālvārde".encode() not in content
    with sqlite3.connect(backup) as copy:
        (token,) = copy.execute("SELECT surname FROM victims_personidentity").fetchone()
    assert token.startswith("v2:")


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty(tmp_path):
    backup = tmp_path / "thb.backup"
    call_command("backup", str(backup), stdout=StringIO())
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(backup))


@pytest.mark.django_db(transaction=True)
def test_restore_with_the_wrong_keys_says_so(owner, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite restore in a fresh process")
    make_case(owner, given_names="Anna", surname="Liepa")
    backup = tmp_path / "thb.backup"
    call_command("backup", str(backup), stdout=StringIO())
    env = {
        "THB_VAR_DIR": str(tmp_path / "other"),
        "THB_FIELD_KEYS": crypto.generate_key(),
        "THB_AUDIT_KEYS": _keys()["THB_AUDIT_KEYS"],
    }
    result = _thb(env, "restore", str(backup))
    assert result.returncode != 0
    assert "cannot read" in result.stderr and "PersonIdentity" in result.stderr


def test_backup_refuses_to_overwrite(db, tmp_path):
    existing = tmp_path / "thb.backup"
    existing.write_text("older backup")
    with pytest.raises(CommandError, match="exists"):
        call_command("backup", str(existing))
    assert existing.read_text() == "older backup"


def test_dumpdata_refuses_identities_in_plain_text(db, owner):
    make_case(owner, given_names="Ojārs", surname="Slepenvārds")
    out = StringIO()
    with pytest.raises(CommandError, match="hold encrypted identifying data") as refused:
        call_command("dumpdata", "victims", stdout=out)
    assert "Slepenvārds" not in out.getvalue() + str(refused.value)
    assert "thb backup" in str(refused.value)


def test_dumpdata_of_everything_names_what_to_leave_out(db, owner):
    make_case(owner, given_names="Ojārs", surname="Slepenvārds")
    with pytest.raises(CommandError, match=r"--exclude victims\.personidentity"):
        call_command("dumpdata", stdout=StringIO())


def test_dumpdata_of_other_data_still_works(db, owner):
    out = StringIO()
    call_command("dumpdata", "accounts.institution", stdout=out)
    assert "marta" in out.getvalue()


def test_no_serialiser_writes_an_encrypted_field_in_plain_text(db, owner):
    from django.core import serializers

    from thb.core.fields import EncryptedFieldExportError
    from thb.victims.models import PersonIdentity

    make_case(owner, given_names="Ojārs", surname="Slepenvārds")
    with pytest.raises(EncryptedFieldExportError):
        serializers.serialize("json", list(PersonIdentity.objects.all()))
