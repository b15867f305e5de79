"""Two-factor sign-in with an authenticator app (TOTP): enrolment, the second step
after the password, switching it off, and the THB_REQUIRE_2FA policy."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from thb.accounts.models import Role
from thb.audit.models import Action, AuditEvent
from thb.conftest import PASSWORD


def code_for(device: TOTPDevice, offset_steps: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code_for(device: TOTPDevice) -> str:
    valid = {code_for(device, step) for step in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    # django_otp delays retries after a wrong code; tests retry at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


@pytest.fixture
def enrolled(owner):
    return TOTPDevice.objects.create(user=owner, name="phone", confirmed=True)


def password_login(username: str) -> Client:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


# Enrolment


def test_the_setup_page_shows_the_secret_and_the_otpauth_uri(client_for, owner):
    response = client_for(owner).get(reverse("accounts:otp_setup"))
    assert response.status_code == 200
    device = TOTPDevice.objects.get(user=owner)
    assert device.confirmed is False
    text = response.content.decode()
    assert "otpauth://totp/THB%3Aowner?secret=" in text
    assert "issuer=THB" in text
    assert response.context["secret"].replace(" ", "") in response.context["uri"]
    assert response["Cache-Control"].startswith("max-age=0")


def test_reloading_the_setup_page_keeps_the_same_secret(client_for, owner):
    client = client_for(owner)
    first = client.get(reverse("accounts:otp_setup")).context["secret"]
    second = client.get(reverse("accounts:otp_setup")).context["secret"]
    assert first == second
    assert TOTPDevice.objects.filter(user=owner).count() == 1


def test_enrolment_confirms_only_with_a_valid_code(client_for, owner):
    client = client_for(owner)
    client.get(reverse("accounts:otp_setup"))
    device = TOTPDevice.objects.get(user=owner)

    response = client.post(reverse("accounts:otp_setup"), {"token": wrong_code_for(device)})
    assert response.status_code == 200
    assert "token" in response.context["form"].errors
    device.refresh_from_db()
    assert device.confirmed is False
    assert not AuditEvent.objects.filter(details__otp="enabled").exists()

    response = client.post(reverse("accounts:otp_setup"), {"token": code_for(device)})
    # The answer shows the recovery codes, once (tests in test_recovery_codes.py).
    assert response.status_code == 200
    assert len(response.context["codes"]) == 10
    device.refresh_from_db()
    assert device.confirmed is True
    event = AuditEvent.objects.get(details__otp="enabled")
    assert event.action == Action.UPDATE
    assert event.actor == owner
    assert event.object_type == "accounts.user"
    assert event.object_id == str(owner.pk)
    # The session that enrolled is verified and goes on working.
    assert client.get(reverse("victims:case_list")).status_code == 200


def test_enrolment_refuses_text_that_is_not_a_code(client_for, owner):
    client = client_for(owner)
    client.get(reverse("accounts:otp_setup"))
    response = client.post(reverse("accounts:otp_setup"), {"token": "abcdef"})
    assert response.context["form"].errors["token"]
    assert not TOTPDevice.objects.filter(user=owner, confirmed=True).exists()


def test_enrolment_accepts_a_code_typed_with_a_space(client_for, owner):
    client = client_for(owner)
    client.get(reverse("accounts:otp_setup"))
    device = TOTPDevice.objects.get(user=owner)
    code = code_for(device)
    client.post(reverse("accounts:otp_setup"), {"token": f"{code[:3]} {code[3:]}"})
    device.refresh_from_db()
    assert device.confirmed is True


# Turning it off


def test_turning_off_requires_the_current_code(owner, enrolled):
    client = password_login("owner")
    client.post(reverse("accounts:otp_verify"), {"token": code_for(enrolled)})

    response = client.post(reverse("accounts:otp_disable"), {"token": wrong_code_for(enrolled)})
    assert response.status_code == 200
    assert response.context["form"].errors["token"]
    assert TOTPDevice.objects.filter(user=owner).exists()

    response = client.post(reverse("accounts:otp_disable"), {"token": code_for(enrolled, 1)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=owner).exists()
    event = AuditEvent.objects.get(details__otp="disabled")
    assert event.action == Action.UPDATE
    assert event.object_id == str(owner.pk)


def test_the_setup_page_of_an_enrolled_user_offers_to_turn_it_off(owner, enrolled):
    client = password_login("owner")
    client.post(reverse("accounts:otp_verify"), {"token": code_for(enrolled)})
    response = client.get(reverse("accounts:otp_setup"))
    assert response.status_code == 200
    assert reverse("accounts:otp_disable") in response.content.decode()
    assert "otpauth://" not in response.content.decode()


# The second step of signing in


def test_a_user_with_a_device_cannot_open_cases_before_entering_a_code(owner, enrolled):
    client = password_login("owner")
    response = client.get(reverse("victims:case_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_verify"))
    assert "next=%2Fcases%2F" in response["Location"]
    # Nor the setup page (where the device could be switched off), nor the admin.
    assert client.get(reverse("accounts:otp_setup")).status_code == 302
    assert client.get("/admin/").status_code == 302


def test_after_the_password_login_the_user_is_sent_to_the_code_page(owner, enrolled):
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": "owner", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:otp_verify"))
    assert response.status_code == 200


def test_a_valid_code_opens_the_cases(owner, enrolled):
    client = password_login("owner")
    response = client.post(
        reverse("accounts:otp_verify"), {"token": code_for(enrolled), "next": "/cases/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/cases/"
    assert client.get(reverse("victims:case_list")).status_code == 200
    assert AuditEvent.objects.filter(action=Action.LOGIN, details__otp=True).count() == 1


def test_the_code_page_does_not_redirect_to_another_site(owner, enrolled):
    client = password_login("owner")
    response = client.post(
        reverse("accounts:otp_verify"),
        {"token": code_for(enrolled), "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_a_wrong_code_is_refused_and_audited(owner, enrolled):
    client = password_login("owner")
    response = client.post(reverse("accounts:otp_verify"), {"token": wrong_code_for(enrolled)})
    assert response.status_code == 200
    assert response.context["form"].errors["token"]
    assert client.get(reverse("victims:case_list")).status_code == 302
    event = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert event.details == {"otp": True}
    assert event.actor == owner


def test_a_code_is_accepted_only_once(owner, enrolled):
    code = code_for(enrolled)
    first = password_login("owner")
    assert first.post(reverse("accounts:otp_verify"), {"token": code}).status_code == 302
    second = password_login("owner")
    response = second.post(reverse("accounts:otp_verify"), {"token": code})
    assert response.status_code == 200
    assert second.get(reverse("victims:case_list")).status_code == 302


def test_five_wrong_codes_end_the_session(owner, enrolled, settings):
    settings.AXES_FAILURE_LIMIT = 5
    client = password_login("owner")
    for _ in range(4):
        response = client.post(reverse("accounts:otp_verify"), {"token": wrong_code_for(enrolled)})
        assert response.status_code == 200
    response = client.post(reverse("accounts:otp_verify"), {"token": wrong_code_for(enrolled)})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    # Logged out: even a valid code no longer helps in this session.
    response = client.post(reverse("accounts:otp_verify"), {"token": code_for(enrolled)})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert AuditEvent.objects.filter(action=Action.LOGIN_FAILED, details__otp=True).count() == 5


def test_wrong_codes_count_towards_the_account_lockout(owner, enrolled, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    client = password_login("owner")
    for _ in range(2):
        client.post(reverse("accounts:otp_verify"), {"token": wrong_code_for(enrolled)})
    # A fresh session with the right password: one more wrong code locks the account.
    client = password_login("owner")
    response = client.post(reverse("accounts:otp_verify"), {"token": wrong_code_for(enrolled)})
    assert response.status_code in (403, 429)
    response = Client().post(reverse("accounts:login"), {"username": "owner", "password": PASSWORD})
    assert response.status_code in (403, 429)


def test_the_api_refuses_an_unverified_session_with_json(owner, enrolled):
    client = password_login("owner")
    response = client.get("/api/v1/cases/")
    assert response.status_code == 403
    assert "detail" in response.json()


def test_the_language_switch_and_logout_work_before_the_code(owner, enrolled):
    client = password_login("owner")
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")


# The policy: THB_REQUIRE_2FA


def test_without_the_requirement_a_user_without_a_device_is_let_through(
    client_for, owner, settings
):
    settings.THB_REQUIRE_2FA = False
    assert client_for(owner).get(reverse("victims:case_list")).status_code == 200


def test_with_the_requirement_a_user_without_a_device_is_sent_to_setup(client_for, owner, settings):
    settings.THB_REQUIRE_2FA = True
    client = client_for(owner)
    response = client.get(reverse("victims:case_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_setup"))
    assert client.get(reverse("accounts:otp_setup")).status_code == 200
    api = client.get("/api/v1/cases/")
    assert api.status_code == 403
    assert "detail" in api.json()


def test_with_the_requirement_enrolment_opens_the_cases(client_for, owner, settings):
    settings.THB_REQUIRE_2FA = True
    client = client_for(owner)
    client.get(reverse("accounts:otp_setup"))
    device = TOTPDevice.objects.get(user=owner)
    response = client.post(
        reverse("accounts:otp_setup"), {"token": code_for(device), "next": "/cases/"}
    )
    # The recovery codes are shown once; their page goes on to the page asked for.
    assert 'href="/cases/"' in response.content.decode()
    assert client.get(reverse("victims:case_list")).status_code == 200


def test_htmx_requests_are_redirected_as_a_whole_page(owner, enrolled):
    client = password_login("owner")
    response = client.get(reverse("victims:case_list"), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith(reverse("accounts:otp_verify"))


def test_the_pages_need_a_login(client):
    for name in ("accounts:otp_setup", "accounts:otp_verify"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_the_home_page_links_to_two_factor_for_every_role(client_for, make_user, provider):
    for role in Role.values:
        user = make_user(f"user-{role}", role, provider)
        page = client_for(user).get(reverse("core:home")).content.decode()
        assert reverse("accounts:otp_setup") in page


# Operators: resetting a lost phone in the admin


def test_an_administrator_resets_a_lost_device_in_the_admin(owner, enrolled, make_user, ministry):
    admin_user = make_user("admin", Role.ADMINISTRATOR, ministry)
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client = Client()
    client.force_login(admin_user)
    url = reverse("admin:accounts_user_change", args=[owner.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert enrolled.key not in page.content.decode()  # the secret is never shown
    data = {
        "username": owner.username,
        "institution": owner.institution_id,
        "role": owner.role,
        "is_active": "on",
        "date_joined_0": "2020-01-01",
        "date_joined_1": "00:00:00",
        "totpdevice_set-TOTAL_FORMS": "1",
        "totpdevice_set-INITIAL_FORMS": "1",
        "totpdevice_set-MIN_NUM_FORMS": "0",
        "totpdevice_set-MAX_NUM_FORMS": "1000",
        "totpdevice_set-0-id": str(enrolled.pk),
        "totpdevice_set-0-user": str(owner.pk),
        "totpdevice_set-0-DELETE": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert not TOTPDevice.objects.filter(user=owner).exists()
    event = AuditEvent.objects.get(details__otp="reset")
    assert event.actor == admin_user
    assert event.object_id == str(owner.pk)
