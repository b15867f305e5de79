"""End to end in Debian Chromium: a caseworker enrols an authenticator app, and the next
sign-in asks for its code before the cases open."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from thb.accounts.models import Role
from thb.accounts.tests.test_two_factor import code_for
from thb.conftest import login


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_enrol_then_sign_in_with_a_code(page, make_user, provider):
    user = make_user("caseworker", Role.CASEWORKER, provider)

    login(page, "caseworker")
    page.click("a[href='/accounts/two-factor/']")
    assert page.locator("[data-otp-secret]").inner_text().strip()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page.fill("#id_token", code_for(device))
    page.click("main button[type=submit]")
    # The recovery codes, shown once, then on.
    assert page.locator("[data-recovery-codes] li").count() == 10
    page.click("main a.button")
    page.wait_for_url(lambda url: "/two-factor/" not in url)
    assert TOTPDevice.objects.get(user=user).confirmed
    page.context.clear_cookies()

    login(page, "caseworker")
    assert "/accounts/two-factor/verify/" in page.url
    page.goto("/cases/")
    page.wait_for_url(re.compile(r"/accounts/two-factor/verify/\?next=%2Fcases%2F$"))
    page.fill("#id_token", code_for(device, 1))
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/cases/$"))
    assert page.locator("h1").first.is_visible()
