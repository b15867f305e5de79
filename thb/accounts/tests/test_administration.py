"""Administration of accounts and institutions: every change goes through
thb.accounts.services, is written to the hash-chained audit log, and no one can change
their own role or institution (neither through the services nor in the Django admin)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import translation

from thb.accounts import services
from thb.accounts.models import Institution, InstitutionKind, Role, User
from thb.audit.models import AuditEvent
from thb.audit.services import audit_verify_chain

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def administrator(make_user: Callable[..., User], ministry: Institution) -> User:
    user = make_user("admin", Role.ADMINISTRATOR, ministry)
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def _events(target: User | Institution) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            object_type=target._meta.label_lower, object_id=str(target.pk)
        ).order_by("id")
    )


# Services


def test_user_create_gives_role_and_institution_in_one_audited_step(
    administrator: User, provider: Institution
) -> None:
    user = services.user_create(
        actor=administrator,
        username="new-caseworker",
        role=Role.CASEWORKER,
        institution=provider,
        password="a-long-enough-password-2020",
    )
    user.refresh_from_db()
    assert (user.role, user.institution_id) == (Role.CASEWORKER, provider.pk)
    assert user.check_password("a-long-enough-password-2020")
    [event] = _events(user)
    assert event.action == "create"
    assert event.actor_id == administrator.pk
    assert event.details["role"] == Role.CASEWORKER
    assert event.details["institution"] == provider.code
    assert audit_verify_chain() == []


def test_user_create_refuses_a_scoped_role_without_an_institution(administrator: User) -> None:
    with pytest.raises(ValidationError) as exc:
        services.user_create(
            actor=administrator, username="x", role=Role.CASEWORKER, institution=None
        )
    assert "institution" in exc.value.message_dict
    assert not User.objects.filter(username="x").exists()


def test_user_create_refuses_an_unknown_role(administrator: User, provider: Institution) -> None:
    with pytest.raises(ValidationError) as exc:
        services.user_create(actor=administrator, username="x", role="root", institution=provider)
    assert "role" in exc.value.message_dict


def test_only_an_administrator_manages_accounts(owner: User, provider: Institution) -> None:
    with pytest.raises(PermissionDenied):
        services.user_create(actor=owner, username="x", role=Role.CASEWORKER, institution=provider)
    with pytest.raises(PermissionDenied):
        services.user_assign(actor=owner, user=owner, role=Role.COORDINATOR, institution=None)
    with pytest.raises(PermissionDenied):
        services.institution_save(
            actor=owner, code="x", names={"lv": "X"}, kind=InstitutionKind.OTHER
        )


def test_user_assign_changes_another_account_and_audits_before_and_after(
    administrator: User, owner: User, other_provider: Institution, provider: Institution
) -> None:
    services.user_assign(
        actor=administrator, user=owner, role=Role.REPORTER, institution=other_provider
    )
    owner.refresh_from_db()
    assert (owner.role, owner.institution_id) == (Role.REPORTER, other_provider.pk)
    [event] = [e for e in _events(owner) if e.action == "update"]
    assert event.details["before"] == {"role": Role.CASEWORKER, "institution": provider.code}
    assert event.details["role"] == Role.REPORTER


@pytest.mark.parametrize(
    ("role", "institution_code"),
    [(Role.CASEWORKER, "marta"), (Role.ADMINISTRATOR, "marta"), (Role.COORDINATOR, "iem")],
)
def test_no_one_can_change_their_own_role_or_institution(
    administrator: User, provider: Institution, role: str, institution_code: str
) -> None:
    institution = Institution.objects.get(code=institution_code)
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.user_assign(
            actor=administrator, user=administrator, role=role, institution=institution
        )
    assert "own role or institution" in " ".join(exc.value.messages)
    administrator.refresh_from_db()
    assert administrator.role == Role.ADMINISTRATOR
    assert administrator.institution.code == "iem"  # type: ignore[union-attr]
    assert AuditEvent.objects.count() == before


def test_user_deactivate_is_audited_and_refused_for_oneself(
    administrator: User, owner: User
) -> None:
    services.user_deactivate(actor=administrator, user=owner)
    owner.refresh_from_db()
    assert not owner.is_active
    assert _events(owner)[-1].details["is_active"] is False
    with pytest.raises(ValidationError):
        services.user_deactivate(actor=administrator, user=administrator)
    administrator.refresh_from_db()
    assert administrator.is_active


def test_institution_save_creates_and_updates_with_one_event_each(administrator: User) -> None:
    institution = services.institution_save(
        actor=administrator, code="new-ngo", names={"lv": "Jauna biedrība"}, kind="service_provider"
    )
    services.institution_save(
        actor=administrator,
        institution=institution,
        code="new-ngo",
        names={"lv": "Jauna biedrība", "en": "New NGO"},
        kind="service_provider",
        active=False,
    )
    # Saving the same values again changes nothing and writes nothing.
    services.institution_save(
        actor=administrator,
        institution=institution,
        code="new-ngo",
        names={"lv": "Jauna biedrība", "en": "New NGO"},
        kind="service_provider",
        active=False,
    )
    institution.refresh_from_db()
    assert (institution.names["en"], institution.active) == ("New NGO", False)
    assert institution.name == "Jauna biedrība"  # the country's language's, derived
    events = _events(institution)
    assert [e.action for e in events] == ["create", "update"]
    assert sorted(events[1].details["fields"]) == ["active", "names"]


def test_institution_save_refuses_an_unknown_kind(administrator: User) -> None:
    with pytest.raises(ValidationError) as exc:
        services.institution_save(
            actor=administrator, code="x", names={"lv": "X"}, kind="secret_service"
        )
    assert "kind" in exc.value.message_dict


# The Django admin calls the services


# The inline of authenticator apps on the user's page.
MANAGEMENT_FORM = {
    "totpdevice_set-TOTAL_FORMS": "0",
    "totpdevice_set-INITIAL_FORMS": "0",
    "totpdevice_set-MIN_NUM_FORMS": "0",
    "totpdevice_set-MAX_NUM_FORMS": "1000",
}


def _admin_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def _change_data(user: User, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "institution": user.institution_id or "",
        "role": user.role,
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
        **MANAGEMENT_FORM,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_the_admin_cannot_give_itself_a_caseworker_role(
    administrator: User, provider: Institution
) -> None:
    client = _admin_client(administrator)
    response = client.post(
        f"/admin/accounts/user/{administrator.pk}/change/",
        _change_data(administrator, role=Role.CASEWORKER, institution=provider.pk),
    )
    assert response.status_code == 200  # the form again, with the error
    assert "own role or institution" in response.content.decode()
    administrator.refresh_from_db()
    assert (administrator.role, administrator.institution.code) == (  # type: ignore[union-attr]
        Role.ADMINISTRATOR,
        "iem",
    )


def test_the_admin_cannot_drop_its_own_staff_status_or_account(administrator: User) -> None:
    client = _admin_client(administrator)
    for changes in ({"is_staff": ""}, {"is_active": ""}):
        response = client.post(
            f"/admin/accounts/user/{administrator.pk}/change/",
            _change_data(administrator, **changes),
        )
        assert response.status_code == 200
        assert "your own" in response.content.decode()
    administrator.refresh_from_db()
    assert administrator.is_staff and administrator.is_active


def test_a_role_change_in_the_admin_goes_to_the_audit_chain(
    administrator: User, owner: User, other_provider: Institution
) -> None:
    client = _admin_client(administrator)
    response = client.post(
        f"/admin/accounts/user/{owner.pk}/change/",
        _change_data(owner, institution=other_provider.pk, first_name="Anna"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    owner.refresh_from_db()
    assert (owner.institution_id, owner.first_name) == (other_provider.pk, "Anna")
    updates = [e for e in _events(owner) if e.action == "update"]
    assert updates[0].details["institution"] == other_provider.code
    assert updates[1].details["fields"] == ["first_name"]
    assert audit_verify_chain() == []


def test_the_admin_adds_an_account_with_role_and_institution(
    administrator: User, provider: Institution
) -> None:
    client = _admin_client(administrator)
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "jauns",
            "role": Role.CASEWORKER,
            "institution": provider.pk,
            "usable_password": "true",
            "password1": "a-long-enough-password-2020",
            "password2": "a-long-enough-password-2020",
            **MANAGEMENT_FORM,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="jauns")
    assert (user.role, user.institution_id) == (Role.CASEWORKER, provider.pk)
    assert [e.action for e in _events(user)] == ["create"]


def test_the_admin_adds_an_institution_through_the_service(administrator: User) -> None:
    client = _admin_client(administrator)
    response = client.post(
        "/admin/accounts/institution/add/",
        {"code": "jauna", "names_lv": "Jauna", "names_en": "", "kind": "other", "active": "on"},
    )
    assert response.status_code == 302
    institution = Institution.objects.get(code="jauna")
    assert [e.action for e in _events(institution)] == ["create"]


def test_the_admin_deletes_nothing_and_deactivates_through_the_service(
    administrator: User, owner: User, provider: Institution
) -> None:
    client = _admin_client(administrator)
    assert client.get(f"/admin/accounts/user/{owner.pk}/delete/").status_code == 403
    assert client.get(f"/admin/accounts/institution/{provider.pk}/delete/").status_code == 403
    response = client.post(
        "/admin/accounts/user/",
        {
            "action": "deactivate_users",
            "_selected_action": [owner.pk, administrator.pk],
        },
        follow=True,
    )
    assert response.status_code == 200
    owner.refresh_from_db()
    administrator.refresh_from_db()
    assert not owner.is_active
    assert administrator.is_active
    assert "cannot deactivate your own account" in response.content.decode()


def test_the_admin_has_no_page_showing_an_authenticator_secret(administrator: User) -> None:
    client = _admin_client(administrator)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404


@pytest.mark.parametrize("model", ["fundingcontract", "othereligiblecost"])
def test_funding_records_are_read_only_in_the_admin(administrator: User, model: str) -> None:
    # They are written on the funding pages, through the audited, bounded services.
    client = _admin_client(administrator)
    assert client.get(f"/admin/support/{model}/").status_code == 200
    assert client.get(f"/admin/support/{model}/add/").status_code == 403
