"""The one-time set-up link: it sets the first password (through Django's password
validators), works once, expires, is closed by a newer link or a deactivation, and
leads straight to the enrolment of an authenticator, which nothing else bypasses."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from thb.accounts import services
from thb.accounts.models import Institution, Role, SetupLink, User
from thb.accounts.tests.test_two_factor import code_for
from thb.audit.models import AuditEvent

NEW_PASSWORD = "Lauku-ceļš-pie-Daugavas-7"


@pytest.fixture
def newcomer(db: None, provider: Institution) -> User:
    return services.user_create(
        actor=None,
        username="newcomer",
        role=Role.CASEWORKER,
        institution=provider,
        two_factor_required=True,
    )


def _url(token: str) -> str:
    return reverse("accounts:setup_link", args=[token])


def _use(client: Client, token: str, password: str = NEW_PASSWORD):
    return client.post(_url(token), {"new_password1": password, "new_password2": password})


def test_the_link_sets_the_password_and_leads_to_two_factor_enrolment(newcomer: User) -> None:
    token = services.setup_link_issue(actor=None, user=newcomer)
    client = Client()
    assert client.get(_url(token)).status_code == 200
    response = _use(client, token)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:otp_setup")
    newcomer.refresh_from_db()
    assert newcomer.check_password(NEW_PASSWORD)
    # Signed in, but every page sends the account to the enrolment first.
    home = client.get("/")
    assert home.status_code == 302 and home["Location"].startswith(reverse("accounts:otp_setup"))
    assert client.get("/cases/").status_code == 302
    client.get(reverse("accounts:otp_setup"))
    device = TOTPDevice.objects.get(user=newcomer, confirmed=False)
    enrolled = client.post(reverse("accounts:otp_setup"), {"token": code_for(device)})
    assert enrolled.status_code == 200 and enrolled.context["codes"]  # recovery codes shown
    assert client.get("/").status_code == 200
    actions = list(
        AuditEvent.objects.filter(object_id=str(newcomer.pk)).values_list("details", flat=True)
    )
    assert {"setup_link": "used", "fields": "password"} in actions


def test_a_link_works_once(newcomer: User) -> None:
    token = services.setup_link_issue(actor=None, user=newcomer)
    assert _use(Client(), token).status_code == 302
    again = Client()
    assert again.get(_url(token)).status_code == 404
    assert _use(again, token, "Cits-garš-parole-2026").status_code == 404
    newcomer.refresh_from_db()
    assert newcomer.check_password(NEW_PASSWORD)


def test_an_expired_link_is_refused(newcomer: User, settings) -> None:
    token = services.setup_link_issue(actor=None, user=newcomer)
    SetupLink.objects.filter(user=newcomer).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert Client().get(_url(token)).status_code == 404
    assert not User.objects.get(pk=newcomer.pk).has_usable_password()


def test_the_signature_expires_too(newcomer: User, settings) -> None:
    token = services.setup_link_issue(actor=None, user=newcomer)
    settings.THB_SETUP_LINK_HOURS = 0  # max_age 0: the signed timestamp is too old
    assert services.setup_link_open(token) is None


def test_a_tampered_or_unsigned_token_is_refused(newcomer: User) -> None:
    token = services.setup_link_issue(actor=None, user=newcomer)
    raw = signing.TimestampSigner(salt=services.SETUP_SALT).unsign(token)
    assert services.setup_link_open(raw) is None  # the stored secret alone is not a link
    assert services.setup_link_open(token[:-2] + "xx") is None
    assert services.setup_link_open(token) is not None


def test_a_newer_link_closes_the_older_one(newcomer: User) -> None:
    first = services.setup_link_issue(actor=None, user=newcomer)
    second = services.setup_link_issue(actor=None, user=newcomer)
    assert services.setup_link_open(first) is None
    assert services.setup_link_open(second) is not None


def test_deactivating_the_account_closes_its_link(newcomer: User) -> None:
    token = services.setup_link_issue(actor=None, user=newcomer)
    services.user_deactivate(actor=None, user=newcomer)
    assert Client().get(_url(token)).status_code == 404


def test_the_password_validators_apply(newcomer: User) -> None:
    token = services.setup_link_issue(actor=None, user=newcomer)
    response = _use(Client(), token, "newcomer")  # too short, too common, like the name
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    assert not User.objects.get(pk=newcomer.pk).has_usable_password()
    assert services.setup_link_open(token) is not None  # still usable after a refusal


def test_only_the_hash_of_the_token_is_stored(newcomer: User) -> None:
    token = services.setup_link_issue(actor=None, user=newcomer)
    raw = signing.TimestampSigner(salt=services.SETUP_SALT).unsign(token)
    stored = SetupLink.objects.get(user=newcomer).token_hash
    assert raw not in stored and token not in stored and len(stored) == 64


def test_a_password_login_without_authenticator_is_sent_to_enrol(
    make_user: Callable[..., User], provider: Institution
) -> None:
    """An account created for set-up must enrol even where THB_REQUIRE_2FA is off."""
    user = make_user("later", Role.CASEWORKER, provider)
    user.two_factor_required = True
    user.save()
    client = Client()
    client.force_login(user)
    response = client.get("/cases/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_setup"))
