"""`thb import`: the command line of the import framework."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from thb.interop.registry import get_import_type
from thb.interop.templates_files import example_csv
from thb.victims.models import Case


def _run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import", *args, "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def cases_file(tmp_path: Path) -> Path:
    path = tmp_path / "cases.csv"
    path.write_text(example_csv(get_import_type("victim_cases")), encoding="utf-8")
    return path


def test_it_imports_a_file_as_the_given_user(owner, cases_file: Path):
    out, _err = _run(str(cases_file), "--type", "victim_cases", "--user", "owner")
    assert "1 row(s) imported: 1 new" in out
    assert Case.objects.filter(institution=owner.institution).count() == 1


def test_a_dry_run_reports_without_saving(owner, cases_file: Path):
    out, _err = _run(str(cases_file), "--type", "victim_cases", "--user", "owner", "--dry-run")
    assert "dry run" in out
    assert Case.objects.count() == 0


def test_errors_name_the_line_and_fail_the_command(owner, tmp_path: Path):
    path = tmp_path / "bad.csv"
    path.write_text("external_id,intake_date,referral_channel\nA1,2020-02-30,self\n")
    with pytest.raises(CommandError, match="nothing was saved"):
        _run(str(path), "--type", "victim_cases", "--user", "owner")


def test_the_user_is_required(db, cases_file: Path):
    with pytest.raises(CommandError, match="--user"):
        _run(str(cases_file), "--type", "victim_cases")


def test_an_unknown_type_is_refused(db, cases_file: Path):
    with pytest.raises(CommandError, match="Unknown type"):
        _run(str(cases_file), "--type", "nothing", "--user", "owner")


def test_a_user_whose_role_may_not_import_the_type_is_refused(outsider, cases_file: Path):
    with pytest.raises(CommandError):
        _run(str(cases_file), "--type", "victim_cases", "--user", "outsider")


def test_describe_prints_the_columns(db):
    out, _err = _run("--describe", "--type", "victim_cases", "--language", "en")
    assert "| `referral_channel` | Referred by | yes | Who referred the person. |" in out


def test_describe_speaks_the_users_language(db):
    out, _err = _run("--describe", "--type", "victim_cases", "--language", "lv")
    assert "| `sex` | Dzimums | nē | Personas dzimums. |" in out


def test_help_lists_the_types_in_the_installations_language(tmp_path: Path):
    from thb.core.tests.cli import run_thb

    latvian = run_thb({"THB_VAR_DIR": str(tmp_path)}, "import", "--help")
    assert latvian.returncode == 0, latvian.stderr
    assert "--ignore-columns" in latvian.stdout
    assert "victim_cases: Upuru lietas" in latvian.stdout
    english = run_thb({"THB_VAR_DIR": str(tmp_path)}, "import", "--help", "--language", "en")
    assert "victim_cases: Victim cases" in english.stdout
