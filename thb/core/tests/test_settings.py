"""Production mode refuses to start without secrets and passes Django's deploy check."""

import subprocess

import pytest

from thb.core.tests.cli import run_thb
from thb.lib.crypto import generate_key

# `thb check` runs against DATABASE_URL when it is set (keep_database_url).
pytestmark = pytest.mark.uses_database


def _run(env_changes: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run_thb(env_changes, *args, keep_database_url=True)


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _run({"THB_PRODUCTION": "true", "THB_VAR_DIR": str(tmp_path)}, "check")
    assert result.returncode != 0
    assert "THB_SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_field_keys(tmp_path):
    result = _run(
        {"THB_PRODUCTION": "true", "THB_VAR_DIR": str(tmp_path), "THB_SECRET_KEY": "x" * 60},
        "check",
    )
    assert result.returncode != 0
    assert "field-encryption keys" in result.stderr


def test_production_refuses_to_start_without_an_audit_key(tmp_path):
    result = _run(
        {
            "THB_PRODUCTION": "true",
            "THB_VAR_DIR": str(tmp_path),
            "THB_SECRET_KEY": "x" * 60,
            "THB_FIELD_KEYS": generate_key(),
        },
        "check",
    )
    assert result.returncode != 0
    assert "Production needs an audit key" in result.stderr


def test_production_passes_the_deploy_check(tmp_path):
    result = _run(
        {
            "THB_PRODUCTION": "true",
            "THB_VAR_DIR": str(tmp_path),
            "THB_SECRET_KEY": "k3y-" + "a1b2C3d4" * 8,
            "THB_FIELD_KEYS": generate_key(),
            "THB_AUDIT_KEYS": generate_key(),
            "THB_ALLOWED_HOSTS": "thb.example.lv",
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_negative_number_of_import_workers_is_refused_by_name(tmp_path):
    result = _run({"THB_VAR_DIR": str(tmp_path), "THB_IMPORT_WORKERS": "-1"}, "check")
    assert result.returncode != 0
    assert "THB_IMPORT_WORKERS=-1" in result.stderr
