"""From an empty installation to the first report (issue 9, part 5), as docs/operations.md
describes it: `thb setup` on a migrated, empty database; the administrator's first login
through the one-time link, a password and two-factor enrolment; a user created on the
administration page and several from a users CSV; the caseworker imports a historical
register of victim cases with their decisions; the coordinator's report has figures.

The command itself is also run in fresh processes on a real empty SQLite file: it
refuses an unmigrated database and one that holds another application's tables."""

from __future__ import annotations

import io
import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from thb.accounts.models import Institution, Role, User
from thb.accounts.tests.test_two_factor import code_for
from thb.core.tests.cli import run_thb
from thb.profiles.loader import get_profile

LINK = re.compile(r"https?://[^/\s]+(/accounts/setup/([^/\s<\"]+)/)")

USERS_CSV = """username,given_name,surname,email,role,institution
koordinatore,Ieva,Koordinatore,ieva@example.lv,coordinator,iem
komisija1,Pēteris,Komisārs,,commission_member,marta
robeza,Oskars,Robežnieks,,reporter,vrs
"""

# A ministry's register of past years, with the identification decisions.
REGISTER_COLUMNS = (
    "external_id,intake_date,referral_channel,sex,citizenship,age_at_identification,forms,"
    "decision_kind,decision_date,decision_outcome,deciding_institution,historical"
)
REGISTER_CSV = "\n".join(
    [
        REGISTER_COLUMNS,
        "REG-2019-01,2019-02-10,self,male,TJ,34,labour:construction,"
        "commission,2019-03-01,recognised,marta,true",
        "REG-2020-01,2020-01-15,state_police,male,TJ,29,labour:construction,"
        "commission,2020-02-03,recognised,marta,true",
        "REG-2020-02,2020-03-02,self,female,LV,22,sexual,"
        "process_director,2020-04-10,recognised,vp,true",
        "REG-2020-03,2020-05-20,support_person,female,LV,16,sexual,"
        "commission,2020-06-15,recognised,marta,true",
        "REG-2020-04,2020-07-01,self,male,UZ,40,labour:agriculture,"
        "commission,2020-08-03,not_recognised,marta,true",
        "",
    ]
)


def _set_up_account(token_path: str, password: str) -> Client:
    """Open the one-time link, choose a password, enrol an authenticator: the only way
    in for a new account. Returns the signed-in, verified client."""
    client = Client()
    response = client.post(token_path, {"new_password1": password, "new_password2": password})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:otp_setup")
    client.get(reverse("accounts:otp_setup"))
    user = User.objects.get(pk=client.session["_auth_user_id"])
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    # The answer shows the new recovery codes.
    assert (
        client.post(reverse("accounts:otp_setup"), {"token": code_for(device)}).status_code == 200
    )
    return client


def _upload(client: Client, type_name: str, name: str, content: str) -> None:
    """The import page, as a user uses it; the result is checked in the database."""
    response: Any = client.post(
        reverse("interop:upload"),
        {"import_type": type_name, "file": SimpleUploadedFile(name, content.encode())},
    )
    # The upload becomes an import job (run inline in the tests) and opens its page.
    assert response.status_code == 302, response
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_an_empty_installation_reaches_the_report(settings) -> None:
    settings.THB_REQUIRE_2FA = False  # the set-up link alone must force two-factor
    assert not Institution.objects.exists() and not User.objects.exists()

    # 1. thb setup: the profile's institutions and the first administrator.
    out = io.StringIO()
    call_command("setup", admin="boss", email="boss@example.lv", stdout=out)
    text = out.getvalue()
    listed = len(get_profile().institutions)
    assert f"{listed} created, 0 updated, 0 unchanged" in text
    assert Institution.objects.count() == listed
    link = LINK.search(text)
    assert link, text
    boss = User.objects.get(username="boss")
    assert boss.role == Role.ADMINISTRATOR and not boss.has_usable_password()

    # 2. First login: nothing opens before the password and the authenticator.
    admin_client = Client()
    assert admin_client.get(reverse("accounts:admin_users")).status_code == 302  # to login
    admin_client.post(
        link.group(1), {"new_password1": "Rīga-ziema-2026!", "new_password2": "Rīga-ziema-2026!"}
    )
    blocked = admin_client.get(reverse("accounts:admin_users"))
    assert blocked.status_code == 302
    assert blocked["Location"].startswith(reverse("accounts:otp_setup"))
    admin_client.get(reverse("accounts:otp_setup"))
    device = TOTPDevice.objects.get(user=boss, confirmed=False)
    admin_client.post(reverse("accounts:otp_setup"), {"token": code_for(device)})
    assert admin_client.get(reverse("accounts:admin_users")).status_code == 200
    # A later password login asks for the code before anything else.
    fresh = Client()
    fresh.post(reverse("accounts:login"), {"username": "boss", "password": "Rīga-ziema-2026!"})
    later = fresh.get(reverse("accounts:admin_users"))
    assert later["Location"].startswith(reverse("accounts:otp_verify"))

    # 3. A caseworker created on the page, in one step, with its link.
    marta = Institution.objects.get(code="marta")
    created = admin_client.post(
        reverse("accounts:admin_user_new"),
        {"username": "socdarbiniece", "role": Role.CASEWORKER, "institution": marta.pk},
    )
    caseworker_link = LINK.search(created.content.decode())
    assert caseworker_link

    # 4. Several users from a CSV, all or nothing, then their links.
    _upload(admin_client, "users", "users.csv", USERS_CSV)
    assert set(User.objects.values_list("username", flat=True)) == {
        "boss",
        "socdarbiniece",
        "koordinatore",
        "komisija1",
        "robeza",
    }
    links_page = admin_client.post(reverse("accounts:admin_links")).content.decode()
    imported_links = {
        m.group(1): m.group(2)
        for m in re.finditer(
            r'data-setup-link="([^"]+)">https?://[^/]+(/accounts/setup/[^<]+)<', links_page
        )
    }
    assert set(imported_links) == {"koordinatore", "komisija1", "robeza"}

    # 5. The caseworker sets up the account and imports the historical register.
    caseworker = _set_up_account(caseworker_link.group(1), "Socdarbs-Marta-2026")
    _upload(caseworker, "victim_cases", "register.csv", REGISTER_CSV)
    from thb.victims.models import Case

    assert Case.objects.count() == 5

    # 6. The coordinator sets up the account; the report has the register's figures.
    coordinator = _set_up_account(imported_links["koordinatore"], "Ziemeļblāzma-pār-Rīgu-9")
    assert coordinator.get(reverse("reports:annual")).status_code == 200
    report = io.StringIO()
    call_command("report", "2020", "--format", "json", stdout=report)
    figures = json.loads(report.getvalue())["figures"]
    assert figures["victims.identified"] == 3
    assert figures["victims.identified.women"] == 1
    assert figures["victims.identified.minors"] == 1
    assert figures["victims.assessed"] == 4


# The command in fresh processes, on a real SQLite file.


def test_setup_refuses_an_unmigrated_database_and_then_sets_it_up(tmp_path: Path) -> None:
    env = {"THB_VAR_DIR": str(tmp_path)}
    refused = run_thb(env, "setup", "--admin", "boss")
    assert refused.returncode != 0
    assert "empty: run `thb migrate` first" in refused.stderr
    assert run_thb(env, "migrate", "-v", "0").returncode == 0
    first = run_thb(env, "setup", "--admin", "boss", "--url", "https://thb.example.lv")
    assert first.returncode == 0, first.stderr
    assert "Administrator 'boss' created." in first.stdout
    assert re.search(r"https://thb\.example\.lv/accounts/setup/\S+/", first.stdout)
    again = run_thb(env, "setup")
    assert again.returncode == 0, again.stderr
    assert "0 created, 0 updated" in again.stdout


def test_setup_refuses_a_database_with_tables_but_no_migrations(tmp_path: Path) -> None:
    database = sqlite3.connect(tmp_path / "thb.sqlite3")
    database.execute("create table customers (id integer primary key, name text)")
    database.commit()
    database.close()
    refused = run_thb({"THB_VAR_DIR": str(tmp_path)}, "setup")
    assert refused.returncode != 0
    assert "no migration history" in refused.stderr
    tables = sqlite3.connect(tmp_path / "thb.sqlite3").execute(
        "select name from sqlite_master where type='table'"
    )
    assert [name for (name,) in tables] == ["customers"]  # left alone
