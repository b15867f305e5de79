"""The `users` import type: an administrator creates accounts from a CSV file, all or
nothing; each error names the line and the column; the accounts await their set-up
links; no other role may use it."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.core.management import CommandError, call_command

from thb.accounts.models import Institution, Role, User
from thb.audit.models import Action, AuditEvent
from thb.interop.importer import import_file
from thb.interop.policy import can_import
from thb.interop.registry import get_import_type

HEADER = "username,given_name,surname,email,role,institution\n"


@pytest.fixture
def administrator(make_user: Callable[..., User], ministry: Institution) -> User:
    return make_user("boss", Role.ADMINISTRATOR, ministry)


def _import(actor: User, text: str):
    return import_file(
        actor=actor, import_type=get_import_type("users"), file_name="users.csv", data=text.encode()
    )


def test_a_file_of_users_is_created_with_roles_and_institutions(
    administrator, provider, police
) -> None:
    result = _import(
        administrator,
        HEADER
        + "a.ozola,Anna,Ozola,anna@example.lv,caseworker,marta\n"
        + "p.virzitajs,Pēteris,Virzītājs,,process_director,vp\n"
        + "k.koord,Kārlis,Koord,,coordinator,\n",
    )
    assert result.errors == [] and result.created == 3
    anna = User.objects.get(username="a.ozola")
    assert (anna.first_name, anna.last_name, anna.email) == ("Anna", "Ozola", "anna@example.lv")
    assert (anna.role, anna.institution) == (Role.CASEWORKER, provider)
    assert User.objects.get(username="p.virzitajs").institution == police
    for user in User.objects.filter(username__in=["a.ozola", "p.virzitajs", "k.koord"]):
        assert not user.has_usable_password() and user.two_factor_required
        assert AuditEvent.objects.filter(
            action=Action.CREATE, object_id=str(user.pk), actor=administrator
        ).exists()


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("x.y,X,Y,,janitor,marta", "role"),
        ("x.y,X,Y,,caseworker,no-such-institution", "institution"),
        ("x.y,X,Y,,caseworker,", "institution"),  # this role works for an institution
        ("x.y,X,Y,not-an-address,coordinator,", "email"),
        ("bad name!,X,Y,,coordinator,", "username"),
    ],
)
def test_one_bad_row_creates_nothing_and_names_line_and_column(
    administrator, provider, row, column
) -> None:
    before = User.objects.count()
    result = _import(administrator, HEADER + "ok.user,O,K,,coordinator,\n" + row + "\n")
    assert not result.ok and result.created == 0
    assert User.objects.count() == before
    error = result.errors[0]
    assert (error.line, error.column) == (3, column), error
    assert "3" in str(error) and column in str(error)


def test_an_inactive_institution_is_refused(administrator, provider) -> None:
    provider.active = False
    provider.save()
    result = _import(administrator, HEADER + "x.y,X,Y,,caseworker,marta\n")
    assert [(e.line, e.column) for e in result.errors] == [(2, "institution")]


def test_an_existing_user_name_is_left_unchanged(administrator, owner) -> None:
    result = _import(administrator, HEADER + "owner,New,Name,,coordinator,\n")
    assert (result.created, result.existing) == (0, 1)
    owner.refresh_from_db()
    assert owner.role == Role.CASEWORKER and owner.first_name == ""


def test_only_the_administrator_may_import_users(owner, coordinator, auditor, administrator):
    users_type = get_import_type("users")
    assert can_import(administrator, users_type)
    assert not any(can_import(u, users_type) for u in (owner, coordinator, auditor))


def test_the_command_line_import(administrator, owner, provider, tmp_path) -> None:
    path = tmp_path / "users.csv"
    path.write_text(HEADER + "c.cli,C,Li,,caseworker,marta\n", encoding="utf-8")
    call_command(
        "import", str(path), type_name="users", user="boss", no_progress=True, stdout=io.StringIO()
    )
    assert User.objects.get(username="c.cli").institution == provider
    with pytest.raises(CommandError):
        call_command(
            "import",
            str(path),
            type_name="users",
            user="owner",
            no_progress=True,
            stdout=io.StringIO(),
        )
