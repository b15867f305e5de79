"""THB's own administration pages: the administrator lists users, creates one with
role and institution in one step and gets its set-up link, issues links, deactivates
accounts, and edits institutions. Everyone else gets 403; the anonymous, the login."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from thb.accounts import services
from thb.accounts.models import Institution, InstitutionKind, Role, User
from thb.audit.models import Action, AuditEvent


@pytest.fixture
def administrator(make_user: Callable[..., User], ministry: Institution) -> User:
    return make_user("boss", Role.ADMINISTRATOR, ministry)


PAGES = [
    ("GET", "accounts:admin_users", {}),
    ("GET", "accounts:admin_user_new", {}),
    ("POST", "accounts:admin_user_new", {}),
    ("GET", "accounts:admin_user", {"username": "owner"}),
    ("POST", "accounts:admin_user_active", {"username": "owner"}),
    ("POST", "accounts:admin_user_link", {"username": "owner"}),
    ("POST", "accounts:admin_links", {}),
    ("GET", "accounts:admin_institutions", {}),
    ("GET", "accounts:admin_institution_new", {}),
    ("GET", "accounts:admin_institution", {"code": "marta"}),
    ("POST", "accounts:admin_institution", {"code": "marta"}),
]


@pytest.mark.parametrize(("method", "name", "kwargs"), PAGES)
def test_only_the_administrator_opens_the_administration(
    method, name, kwargs, client_for, owner, coordinator, auditor, administrator
) -> None:
    url = reverse(name, kwargs=kwargs)
    for user in (owner, coordinator, auditor):
        # A staff flag alone does not make an administrator.
        user.is_staff = True
        user.save()
        client = client_for(user)
        response = client.get(url) if method == "GET" else client.post(url, {"active": "0"})
        assert response.status_code == 403, (user.username, url)
    anonymous = Client().get(url) if method == "GET" else Client().post(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    owner.refresh_from_db()
    assert owner.is_active  # no refused POST changed anything
    if method == "GET":
        assert client_for(administrator).get(url).status_code == 200


def test_the_list_shows_users_with_role_institution_and_status(
    client_for, administrator, owner, colleague
) -> None:
    services.user_deactivate(actor=administrator, user=colleague)
    text = client_for(administrator, "en").get(reverse("accounts:admin_users")).content.decode()
    assert "owner" in text and "colleague" in text and "deactivated" in text
    assert "Caseworker" in text and "marta" in text


def test_creating_a_user_in_one_step_shows_its_set_up_link_once(
    client_for, administrator, provider
) -> None:
    client = client_for(administrator)
    response = client.post(
        reverse("accounts:admin_user_new"),
        {
            "username": "l.kalna",
            "first_name": "Liga",
            "last_name": "Kalna",
            "email": "liga@example.lv",
            "role": Role.CASEWORKER,
            "institution": provider.pk,
        },
    )
    assert response.status_code == 200
    user = User.objects.get(username="l.kalna")
    assert (user.role, user.institution, user.two_factor_required) == (
        Role.CASEWORKER,
        provider,
        True,
    )
    assert not user.has_usable_password()
    link = re.search(r"http://testserver(/accounts/setup/[^<\"]+/)", response.content.decode())
    assert link and services.setup_link_open(link.group(1).split("/")[-2]) is not None
    created = AuditEvent.objects.get(action=Action.CREATE, object_id=str(user.pk))
    assert created.actor == administrator and created.details["institution"] == "marta"
    # The user page never shows the link again, only that one is open.
    page = client.get(reverse("accounts:admin_user", args=["l.kalna"])).content.decode()
    assert link.group(1) not in page


def test_a_role_that_needs_an_institution_is_refused_at_the_field(
    client_for, administrator
) -> None:
    response = client_for(administrator, "en").post(
        reverse("accounts:admin_user_new"), {"username": "nobody", "role": Role.CASEWORKER}
    )
    assert response.status_code == 200
    assert "institution" in response.context["form"].errors
    assert not User.objects.filter(username="nobody").exists()


def test_a_duplicate_user_name_is_refused(client_for, administrator, owner) -> None:
    response = client_for(administrator).post(
        reverse("accounts:admin_user_new"), {"username": "owner", "role": Role.COORDINATOR}
    )
    assert response.status_code == 200 and "username" in response.context["form"].errors


def test_the_administrator_changes_role_and_institution(
    client_for, administrator, owner, other_provider
) -> None:
    response = client_for(administrator).post(
        reverse("accounts:admin_user", args=["owner"]),
        {"role": Role.COMMISSION_MEMBER, "institution": other_provider.pk},
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert (owner.role, owner.institution) == (Role.COMMISSION_MEMBER, other_provider)


def test_no_one_changes_their_own_access_here(client_for, administrator, provider) -> None:
    response = client_for(administrator).post(
        reverse("accounts:admin_user", args=["boss"]),
        {"role": Role.CASEWORKER, "institution": provider.pk},
    )
    assert response.status_code == 200 and response.context["form"].errors
    administrator.refresh_from_db()
    assert administrator.role == Role.ADMINISTRATOR


def test_deactivating_and_reactivating(client_for, administrator, owner) -> None:
    client = client_for(administrator)
    url = reverse("accounts:admin_user_active", args=["owner"])
    assert client.post(url, {"active": "0"}).status_code == 302
    owner.refresh_from_db()
    assert not owner.is_active
    assert client.post(url, {"active": "1"}).status_code == 302
    owner.refresh_from_db()
    assert owner.is_active
    own = client.post(reverse("accounts:admin_user_active", args=["boss"]), {"active": "0"})
    assert own.status_code == 302
    administrator.refresh_from_db()
    assert administrator.is_active


def test_links_for_every_account_awaiting_set_up(client_for, administrator, provider) -> None:
    for name in ("a.one", "b.two"):
        services.user_create(
            actor=administrator, username=name, role=Role.CASEWORKER, institution=provider
        )
    client = client_for(administrator)
    listing = client.get(reverse("accounts:admin_users") + "?awaiting=1")
    assert [u.username for u in listing.context["users"]] == ["a.one", "b.two"]
    response = client.post(reverse("accounts:admin_links"))
    tokens = re.findall(r"/accounts/setup/([^/<\"]+)/", response.content.decode())
    assert len(tokens) == 2
    assert all(services.setup_link_open(t) is not None for t in tokens)


def test_institutions_list_and_edit(client_for, administrator, provider) -> None:
    client = client_for(administrator, "en")
    listing = client.get(reverse("accounts:admin_institutions")).content.decode()
    assert "Service provider (NGO)" in listing  # the kind's label, from the profile
    assert "import victim cases" in listing  # what the kind does, from the profile
    assert "victim_cases" not in listing  # in words, not the import type's name
    # An institution has a name ("Nosaukums"), not a person's "Vārds, uzvārds".
    latvian = client_for(administrator, "lv").get(reverse("accounts:admin_institutions"))
    assert "<th>Nosaukums</th>" in latvian.content.decode()
    assert "Vārds, uzvārds" not in latvian.content.decode()
    form = client_for(administrator, "lv").get(
        reverse("accounts:admin_institution", args=["marta"])
    )
    assert "Nosaukums (latviešu valodā)" in form.content.decode()
    response = client.post(
        reverse("accounts:admin_institution", args=["marta"]),
        {
            "code": "marta",
            "names_lv": "Biedrība MARTA",
            "names_en": "MARTA",
            "kind": "service_provider",
        },
    )
    assert response.status_code == 302
    provider.refresh_from_db()
    assert (provider.name, provider.active) == ("Biedrība MARTA", False)
    unknown = client.post(
        reverse("accounts:admin_institution_new"),
        {"code": "x", "names_lv": "X", "kind": "spaceport", "active": "on"},
    )
    assert unknown.status_code == 200 and "kind" in unknown.context["form"].errors
    created = client.post(
        reverse("accounts:admin_institution_new"),
        {"code": "vid", "names_lv": "Valsts ieņēmumu dienests", "kind": InstitutionKind.OTHER},
    )
    assert created.status_code == 302 and Institution.objects.filter(code="vid").exists()


def test_a_new_account_shows_field_and_rule_errors_in_one_round(client_for, administrator) -> None:
    """A malformed e-mail (the field's own check) and a caseworker without an institution
    (the service's rule) are reported together; no account is created."""
    response = client_for(administrator, "en").post(
        reverse("accounts:admin_user_new"),
        {"username": "nobody", "role": Role.CASEWORKER, "email": "not-an-address"},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"email", "institution"}
    body = response.content.decode()
    assert "This role works for an institution: choose it." in body
    assert not User.objects.filter(username="nobody").exists()


def test_a_new_institution_shows_field_and_rule_errors_in_one_round(
    client_for, administrator, provider
) -> None:
    """No name (the field's own check) and a code already taken (the model's rule the
    service applies) are reported together; nothing is saved."""
    before = Institution.objects.count()
    response = client_for(administrator, "en").post(
        reverse("accounts:admin_institution_new"),
        {"code": provider.code, "names_lv": "", "kind": InstitutionKind.OTHER},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"code", "names_lv"}
    assert Institution.objects.count() == before


def test_changing_an_account_shows_every_error_in_one_round(
    client_for, administrator, owner, provider
) -> None:
    """The administrator's own account moved to a role that needs an institution, without
    one: the own-access rule and the institution rule are reported together, with the
    error summary, and nothing changes."""
    response = client_for(administrator, "en").post(
        reverse("accounts:admin_user", args=["boss"]), {"role": Role.CASEWORKER}
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"role", "institution"}
    body = response.content.decode()
    assert "No one can change their own role or institution" in body
    assert "This role works for an institution: choose it." in body
    assert 'class="error-summary' in body
    administrator.refresh_from_db()
    assert (administrator.role, administrator.institution.code) == (Role.ADMINISTRATOR, "iem")


def test_user_update_check_reports_every_failure_at_once(administrator, owner, make_institution):
    closed = make_institution("closed")
    closed.active = False
    closed.save()
    with pytest.raises(ValidationError) as info:
        services.user_update_check(
            actor=administrator,
            user=administrator,
            role="no-such-role",
            institution=closed,
            is_active=False,
            is_staff=not administrator.is_staff,
        )
    assert set(info.value.message_dict) == {"role", "institution", "is_active", "is_staff"}
    assert len(info.value.message_dict["role"]) == 2  # own access, and an unknown role
    # The service refuses with the same errors and changes nothing.
    with pytest.raises(ValidationError) as refused:
        services.user_assign(
            actor=administrator, user=owner, role=Role.CASEWORKER, institution=closed
        )
    assert set(refused.value.message_dict) == {"institution"}
    owner.refresh_from_db()
    assert owner.institution is not None and owner.institution.code == "marta"


def test_an_institution_has_a_name_input_per_profile_language(
    client_for, administrator, settings
) -> None:
    """A country with a third language: the form asks the name in each, labelled with
    the language's name, and the institution keeps each (the list sorts by the name in
    the country's language)."""
    settings.LANGUAGES = [("lv", "Latvian"), ("en", "English"), ("de", "German")]
    client = client_for(administrator, "en")
    page = client.get(reverse("accounts:admin_institution_new")).content.decode()
    for code, language in (("lv", "Latvian"), ("en", "English"), ("de", "German")):
        assert f'name="names_{code}"' in page and f"Name ({language})" in page
    response = client.post(
        reverse("accounts:admin_institution_new"),
        {
            "code": "vid",
            "names_lv": "Valsts ieņēmumu dienests",
            "names_en": "",
            "names_de": "Staatlicher Steuerdienst",
            "kind": InstitutionKind.OTHER,
        },
    )
    assert response.status_code == 302
    institution = Institution.objects.get(code="vid")
    assert institution.names == {
        "lv": "Valsts ieņēmumu dienests",
        "de": "Staatlicher Steuerdienst",
    }
    assert institution.name == "Valsts ieņēmumu dienests"
    assert institution.display_name("de") == "Staatlicher Steuerdienst"
    assert institution.display_name("en") == "Valsts ieņēmumu dienests"
