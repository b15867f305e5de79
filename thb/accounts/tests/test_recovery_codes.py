"""Two-factor enrolment with a QR code, and recovery codes (issue 10, part 8): the QR
code is inline SVG without style attributes (the CSP forbids them), the key is still
shown; recovery codes are made at enrolment, shown once, each works once at sign-in
instead of a code from the app, the user can make new ones, and all of it is audited.
The Django admin never shows a device's QR code or codes."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from thb.accounts.models import Role
from thb.accounts.tests.test_two_factor import code_for, password_login, wrong_code_for
from thb.audit.models import Action, AuditEvent


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def _enrol(client: Client, user) -> tuple[TOTPDevice, list[str]]:
    client.get(reverse("accounts:otp_setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("accounts:otp_setup"), {"token": code_for(device)})
    assert response.status_code == 200
    return device, list(response.context["codes"])


def test_the_setup_page_shows_a_qr_code_as_inline_svg_and_the_key(client_for, owner):
    response = client_for(owner).get(reverse("accounts:otp_setup"))
    html = response.content.decode()
    svg = re.search(r"<svg[^>]*>.*?</svg>", html, re.S)
    assert svg is not None
    assert 'class="otp-qr"' in svg.group(0) and 'role="img"' in svg.group(0)
    assert 'aria-label="' in svg.group(0)
    assert "style=" not in svg.group(0)  # the CSP allows no inline style
    assert svg.group(0).count("<path") >= 2  # the modules, drawn
    assert "<img" not in html  # no request for an image
    assert response.context["secret"] in html  # still there for typing by hand
    # The Content Security Policy allows no inline style on this page.
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_the_qr_code_encodes_the_otpauth_uri(client_for, owner):
    import segno

    response = client_for(owner).get(reverse("accounts:otp_setup"))
    dark = re.compile(r'<path stroke="#000" d="([^"]+)"')
    shown = dark.search(response.content.decode())
    assert shown is not None
    expected = dark.search(
        segno.make(response.context["uri"], error="m").svg_inline(lineclass=None)
    )
    assert expected is not None and expected.group(1) == shown.group(1)  # the same modules


def test_enrolment_shows_ten_recovery_codes_once_and_audits_them(client_for, owner):
    client = client_for(owner)
    _device, codes = _enrol(client, owner)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(re.fullmatch(r"[a-z2-7]{4}-[a-z2-7]{4}", c) for c in codes)
    assert StaticToken.objects.filter(device__user=owner).count() == 10
    event = AuditEvent.objects.get(details__otp="recovery_codes_generated")
    assert event.actor == owner and event.details["count"] == 10
    # Not shown again: the two-factor page only counts them.
    page = client.get(reverse("accounts:otp_setup")).content.decode()
    assert not any(code in page for code in codes)
    assert "data-recovery-left" in page


def test_a_recovery_code_signs_in_once_instead_of_the_app(client_for, owner):
    _device, codes = _enrol(client_for(owner), owner)

    client = password_login("owner")
    response = client.post(
        reverse("accounts:otp_verify"), {"token": codes[0].upper(), "next": "/cases/"}
    )
    assert response.status_code == 302 and response["Location"] == "/cases/"
    assert client.get("/cases/").status_code == 200
    event = AuditEvent.objects.filter(action=Action.LOGIN, details__otp="recovery_code").get()
    assert event.actor == owner and event.details["left"] == 9

    again = password_login("owner")
    response = again.post(reverse("accounts:otp_verify"), {"token": codes[0]})
    assert response.status_code == 200
    assert response.context["form"].errors["token"]
    assert again.get("/cases/").status_code == 302
    assert AuditEvent.objects.filter(action=Action.LOGIN_FAILED, actor=owner).count() == 1
    # Another code still works.
    assert again.post(reverse("accounts:otp_verify"), {"token": codes[1]}).status_code == 302


def test_the_user_makes_new_codes_with_the_current_code_and_the_old_ones_stop(client_for, owner):
    client = client_for(owner)
    device, old = _enrol(client, owner)

    refused = client.post(
        reverse("accounts:otp_recovery_codes"), {"recovery-token": wrong_code_for(device)}
    )
    assert refused.status_code == 200
    assert refused.context["recovery_form"].errors["token"]
    assert StaticToken.objects.filter(device__user=owner).count() == 10

    response = client.post(
        reverse("accounts:otp_recovery_codes"), {"recovery-token": code_for(device, 1)}
    )
    assert response.status_code == 200
    new = response.context["codes"]
    assert len(new) == 10 and not set(new) & set(old)
    assert AuditEvent.objects.filter(details__otp="recovery_codes_generated").count() == 2

    login = password_login("owner")
    assert login.post(reverse("accounts:otp_verify"), {"token": old[0]}).status_code == 200
    assert login.post(reverse("accounts:otp_verify"), {"token": new[0]}).status_code == 302


def test_turning_two_factor_off_removes_the_recovery_codes(client_for, owner):
    client = client_for(owner)
    device, _codes = _enrol(client, owner)
    client.post(reverse("accounts:otp_disable"), {"token": code_for(device, 1)})
    assert not TOTPDevice.objects.filter(user=owner).exists()
    assert not StaticDevice.objects.filter(user=owner).exists()


def test_the_admin_shows_no_totp_qr_page_and_no_503(make_user, ministry, owner):
    admin = make_user("root", Role.ADMINISTRATOR, ministry)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    device = TOTPDevice.objects.create(user=owner, name="phone", confirmed=True)
    client = Client()
    client.force_login(admin)
    for url in (
        f"/admin/otp_totp/totpdevice/{device.pk}/config/",
        f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/",
        "/admin/otp_static/staticdevice/",
    ):
        response = client.get(url, follow=True)
        assert response.status_code == 404, url
    index = client.get("/admin/").content.decode()
    assert "otp_totp" not in index and "otp_static" not in index
    # The user's own page is where a QR code is shown.
    assert client.get(reverse("accounts:otp_setup")).status_code == 200


def test_the_favicon_is_served_at_the_root_and_linked(client_for, owner):
    response = Client().get("/favicon.ico")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    assert body[:4] == b"\x00\x00\x01\x00"  # an ICO file
    page = client_for(owner).get("/").content.decode()
    assert 'rel="icon"' in page
