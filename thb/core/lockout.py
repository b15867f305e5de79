"""Login lockout that cannot be turned against someone else (django-axes settings).

Failures are counted per user name *and* address together, so a stranger elsewhere
cannot lock a known user out at all. Someone behind the same address (an office, a
NAT) can, but only briefly: the first lock lasts LOCK_FIRST, and each further round
of failures from that address for that user within WINDOW doubles it, up to LOCK_MAX.
A guesser gets a handful of tries per LOCK_MAX (with two-factor sign-in on top); the
user waits minutes, never an hour.

A successful password does not clear the count: with two-factor sign-in the password
is only the first step, and clearing there would let someone who knows the password
try one-time codes without end.
"""

from __future__ import annotations

import math
from datetime import timedelta

from axes.models import AccessFailureLog
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from thb.core.client import client_address

LOCK_FIRST = timedelta(minutes=1)
LOCK_MAX = timedelta(minutes=15)
# Failures older than this no longer lengthen the lock.
WINDOW = timedelta(hours=24)


def cool_off(request: HttpRequest | None) -> timedelta:
    """AXES_COOLOFF_TIME: how long the current lock of this user at this address lasts."""
    if request is None:
        return LOCK_FIRST
    failures = _recent_failures(request)
    # The k-th lock of the day begins at k * limit failures and lasts 2^(k-1) minutes;
    # tries during a lock count too, so hammering only lengthens it (to LOCK_MAX).
    rounds = max(failures // max(1, settings.AXES_FAILURE_LIMIT), 1) - 1
    return min(LOCK_FIRST * 2 ** min(rounds, 16), LOCK_MAX)


def lockout_response(
    request: HttpRequest, response: HttpResponse | None = None, credentials: object = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: THB's page saying how many minutes to wait."""
    minutes = math.ceil(cool_off(request).total_seconds() / 60)
    return render(
        request,
        "lockout.html",
        {"minutes": minutes},
        status=getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429),
    )


def _recent_failures(request: HttpRequest) -> int:
    address = client_address(request)
    username = request.POST.get("username", "") if request.method == "POST" else ""
    user = getattr(request, "user", None)
    if not username and user is not None and user.is_authenticated:
        username = user.get_username()  # the second step (one-time code) of a sign-in
    if not address or not username:
        return 0
    return AccessFailureLog.objects.filter(
        username=username, ip_address=address, attempt_time__gte=timezone.now() - WINDOW
    ).count()
