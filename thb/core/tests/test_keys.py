"""Keys fail loudly when malformed, are never silently replaced while data made with
them exists, and var/ with the database is readable by its owner only."""

from __future__ import annotations

import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.checks import run_checks

from thb.audit.services import audit_record
from thb.core.tests.cli import run_thb
from thb.lib import crypto
from thb.lib.crypto import KeyError_, generate_key
from thb.victims.tests.factories import make_case


def _run(env_changes: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run_thb(env_changes, *args)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("name", ["THB_FIELD_KEYS", "THB_AUDIT_KEYS"])
def test_a_malformed_key_in_the_environment_stops_start_up(tmp_path, name):
    result = _run({"THB_VAR_DIR": str(tmp_path), name: f"{generate_key()},not-a-key"}, "check")
    assert result.returncode != 0
    assert f"{name}:" in result.stderr and "key #2 is not a valid key" in result.stderr
    assert "not-a-key" not in result.stderr  # never the value


def test_a_malformed_key_file_fails_the_deploy_check(tmp_path):
    key_file = tmp_path / "field-keys"
    key_file.write_text("# keys\nthis-is-no-key\n")
    result = _run(
        {
            "THB_PRODUCTION": "true",
            "THB_VAR_DIR": str(tmp_path),
            "THB_SECRET_KEY": "k3y-" + "a1b2C3d4" * 8,
            "THB_FIELD_KEY_FILE": str(key_file),
            "THB_AUDIT_KEYS": generate_key(),
            "THB_ALLOWED_HOSTS": "thb.example.lv",
        },
        "check",
        "--deploy",
    )
    assert result.returncode != 0
    assert "thb.E001" in result.stderr


def test_the_system_check_names_each_key_ring(settings, tmp_path):
    bad = tmp_path / "bad"
    bad.write_text("nonsense\n")
    settings.THB_FIELD_KEYS = ""
    settings.THB_FIELD_KEY_FILE = str(bad)
    settings.THB_AUDIT_KEYS = ""
    settings.THB_AUDIT_KEY_FILE = str(bad)
    ids = {m.id for m in run_checks(tags=["security"])}
    assert {"thb.E001", "thb.E002"} <= ids


def test_a_key_file_readable_by_others_is_warned_about(settings, tmp_path):
    key_file = tmp_path / "keys"
    key_file.write_text(generate_key() + "\n")
    key_file.chmod(0o644)
    settings.THB_FIELD_KEYS = ""
    settings.THB_FIELD_KEY_FILE = str(key_file)
    assert "thb.W001" in {m.id for m in run_checks(tags=["security"])}


@pytest.fixture
def fresh_key_caches() -> Iterator[None]:
    crypto.default_cipher.cache_clear()
    crypto.default_audit_signer.cache_clear()
    yield
    crypto.default_cipher.cache_clear()
    crypto.default_audit_signer.cache_clear()


def test_no_new_field_key_while_encrypted_values_exist(owner, settings, tmp_path, fresh_key_caches):
    make_case(owner, given_names="Anna", surname="Liepa")
    settings.THB_FIELD_KEYS = ""
    settings.THB_FIELD_KEY_FILE = str(tmp_path / "lost-field-keys")
    crypto.default_cipher.cache_clear()
    with pytest.raises(KeyError_, match="Restore the key file"):
        crypto.default_cipher()
    assert not (tmp_path / "lost-field-keys").exists()


def test_a_new_field_key_is_made_for_an_empty_database(db, settings, tmp_path, fresh_key_caches):
    settings.THB_FIELD_KEYS = ""
    settings.THB_FIELD_KEY_FILE = str(tmp_path / "new" / "field-keys")
    crypto.default_cipher()
    assert _mode(tmp_path / "new" / "field-keys") == 0o600
    assert _mode(tmp_path / "new") == 0o700


def test_no_new_audit_key_while_signed_events_exist(db, settings, tmp_path, fresh_key_caches):
    audit_record(actor=None, action="read", object_type="x")
    settings.THB_AUDIT_KEYS = ""
    settings.THB_AUDIT_KEY_FILE = str(tmp_path / "lost-audit-keys")
    crypto.default_audit_signer.cache_clear()
    with pytest.raises(KeyError_, match="Restore the key file"):
        crypto.default_audit_signer()


def test_var_and_the_database_are_created_private(tmp_path):
    var = tmp_path / "var"
    result = _run({"THB_VAR_DIR": str(var)}, "check")
    assert result.returncode == 0, result.stderr
    assert _mode(var) == 0o700
    assert _mode(var / "thb.sqlite3") == 0o600
    assert _mode(var / "secret-key") == 0o600


def test_an_existing_world_readable_database_is_tightened(tmp_path):
    var = tmp_path / "var"
    var.mkdir(mode=0o755)
    var.chmod(0o755)
    (var / "thb.sqlite3").touch(mode=0o644)
    (var / "thb.sqlite3").chmod(0o644)
    assert _run({"THB_VAR_DIR": str(var)}, "check").returncode == 0
    assert _mode(var) == 0o700
    assert _mode(var / "thb.sqlite3") == 0o600


def test_rotatekeys_rewrites_fernet_values_in_the_new_format_under_the_newest_key(
    owner, settings, fresh_key_caches
):
    from io import StringIO

    from cryptography.fernet import Fernet
    from django.core.management import call_command
    from django.db import connection

    from thb.victims.models import PersonIdentity

    old, new = generate_key(), generate_key()
    settings.THB_FIELD_KEYS = old
    crypto.default_cipher.cache_clear()
    case = make_case(owner, given_names="Anna", surname="Liepa")
    identity = PersonIdentity.objects.get(person=case.person)
    # A value as THB wrote it before the AES-GCM format: a Fernet token.
    legacy = Fernet(old).encrypt("Vecā".encode()).decode()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE victims_personidentity SET address = %s WHERE id = %s", [legacy, identity.pk]
        )
    assert PersonIdentity.objects.get(pk=identity.pk).address == "Vecā"

    settings.THB_FIELD_KEYS = f"{new},{old}"
    crypto.default_cipher.cache_clear()
    call_command("rotatekeys", stdout=StringIO())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT surname, address FROM victims_personidentity WHERE id = %s", [identity.pk]
        )
        surname, address = cursor.fetchone()
    only_new = crypto.FieldCipher([new])
    assert surname.startswith(crypto.TOKEN_V2) and address.startswith(crypto.TOKEN_V2)
    assert only_new.decrypt(surname) == "Liepa" and only_new.decrypt(address) == "Vecā"
