"""The login lockout pauses one user name at one address, briefly and progressively;
it cannot lock a user out from elsewhere, and never for an hour."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from thb.conftest import PASSWORD
from thb.core.lockout import LOCK_MAX, cool_off

OFFICE = "192.0.2.10"
ELSEWHERE = "198.51.100.20"


@pytest.fixture(autouse=True)
def _axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5


def _login(password: str, address: str, username: str = "owner"):
    return Client().post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def _fail(times: int, address: str = OFFICE) -> None:
    for _ in range(times):
        _login("wrong", address)


def _age(minutes: float) -> None:
    """Let time pass for the lockout's records."""
    past = timezone.now() - timedelta(minutes=minutes)
    AccessAttempt.objects.update(attempt_time=past)


def test_five_failures_pause_the_user_at_that_address_only(owner):
    _fail(5)
    locked = _login(PASSWORD, OFFICE)
    assert locked.status_code == 429
    assert "1 minūti" in locked.content.decode()
    assert _login(PASSWORD, ELSEWHERE).status_code == 302  # the user signs in elsewhere


def test_the_first_pause_is_a_minute_not_an_hour(owner):
    _fail(5)
    _age(1.5)
    assert _login(PASSWORD, OFFICE).status_code == 302


def test_repeated_rounds_lengthen_the_pause(owner):
    _fail(5)
    _age(1.5)
    _fail(5)  # a second round within the day
    locked = _login(PASSWORD, OFFICE)
    assert locked.status_code == 429
    assert "2 minūtēm" in locked.content.decode()
    _age(1.5)
    assert _login(PASSWORD, OFFICE).status_code == 429  # still paused: 2 minutes now
    _age(2.5)
    assert _login(PASSWORD, OFFICE).status_code == 302


def test_the_pause_never_exceeds_the_maximum(owner):
    for _ in range(200):
        AccessFailureLog.objects.create(
            username="owner", ip_address=OFFICE, user_agent="", http_accept="", path_info="/"
        )
    request = RequestFactory().post("/", {"username": "owner"}, REMOTE_ADDR=OFFICE)
    assert cool_off(request) == LOCK_MAX == timedelta(minutes=15)


def test_a_stranger_cannot_lock_a_user_out_from_another_address(owner):
    _fail(50, ELSEWHERE)
    assert _login(PASSWORD, OFFICE).status_code == 302


def test_behind_a_proxy_the_forwarded_client_address_counts(owner, settings):
    settings.THB_PROXY_COUNT = 1
    proxy = "10.0.0.1"

    def via_proxy(password: str, client: str, spoofed: str = "203.0.113.99"):
        return Client().post(
            reverse("accounts:login"),
            {"username": "owner", "password": password},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=f"{spoofed}, {client}",
        )

    for _ in range(5):
        via_proxy("wrong", OFFICE)
    assert via_proxy(PASSWORD, OFFICE).status_code == 429
    # Another client behind the same proxy is not paused; a spoofed left-hand entry
    # does not change who the client is.
    assert via_proxy(PASSWORD, ELSEWHERE, spoofed=OFFICE).status_code == 302
