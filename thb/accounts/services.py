"""Writes about a user's own sign-in factors: enrolling and removing an authenticator
app (TOTP, RFC 6238) and the second step of signing in."""

from __future__ import annotations

import enum
from typing import cast

import django_otp
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from thb.accounts.models import User
from thb.accounts.selectors import otp_device_for, otp_has_device
from thb.audit.models import Action
from thb.audit.services import audit_record

# Wrong codes counted in this session; the session ends when it reaches the limit.
FAILURES_SESSION_KEY = "thb_otp_failures"
DEVICE_NAME = "Authenticator app"


def otp_failure_limit() -> int:
    # The same limit as for passwords (THB_LOGIN_FAILURE_LIMIT), so operators tune one number.
    return int(getattr(settings, "AXES_FAILURE_LIMIT", 5))


def _clean(token: str) -> str:
    # Apps show the code as "123 456"; people type it that way.
    return "".join(token.split())


@transaction.atomic
def password_change(*, actor: User, new_password: str, request: HttpRequest | None = None) -> None:
    """A user changes their own password (already checked by the form against the old one
    and the validators). Audited, without any trace of the password itself."""
    actor.set_password(new_password)
    actor.save(update_fields=["password"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        target=actor,
        details={"fields": "password"},
        request=request,
    )


def otp_enrolment_start(*, actor: User) -> TOTPDevice:
    """The unconfirmed device being enrolled. Reused while enrolment is unfinished, so
    reloading the page does not change the secret the user may already have scanned."""
    if otp_has_device(actor=actor):
        raise ValidationError({"token": _("Two-factor authentication is already on.")})
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=actor, name=DEVICE_NAME, confirmed=False)
    return device


def otp_enable(*, actor: User, token: str, request: HttpRequest | None = None) -> TOTPDevice:
    """Confirm the enrolment with a code from the app. Only a valid code confirms it."""
    with transaction.atomic():
        if otp_has_device(actor=actor):
            raise ValidationError({"token": _("Two-factor authentication is already on.")})
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=actor, confirmed=False)
            .order_by("-pk")
            .first()
        )
        if device is None:
            raise ValidationError({"token": _("Start the enrolment again.")})
        # verify_token records its own throttling state; committed even for a wrong code.
        verified = device.verify_token(_clean(token))
        if verified:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
            audit_record(
                actor=actor,
                action=Action.UPDATE,
                target=actor,
                details={"otp": "enabled"},
                request=request,
            )
    if not verified:
        raise ValidationError({"token": _("The code is not valid. Check the app and try again.")})
    return device


def otp_disable(*, actor: User, token: str, request: HttpRequest | None = None) -> None:
    """Remove the authenticator. The current code is required, so a session left open
    on a shared computer cannot switch the second factor off."""
    device = otp_device_for(actor=actor)
    if device is None:
        raise ValidationError({"token": _("Two-factor authentication is not on.")})
    if django_otp.verify_token(actor, device.persistent_id, _clean(token)) is None:
        raise ValidationError({"token": _("The code is not valid. Check the app and try again.")})
    with transaction.atomic():
        TOTPDevice.objects.filter(user=actor).delete()
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            target=actor,
            details={"otp": "disabled"},
            request=request,
        )


class Verification(enum.Enum):
    VERIFIED = "verified"
    WRONG = "wrong"
    THROTTLED = "throttled"  # too soon after a wrong code; try again in a moment
    LOCKED = "locked"  # too many wrong codes: the session has been ended


def _axes_locked(request: HttpRequest, username: str) -> bool:
    if not getattr(settings, "AXES_ENABLED", False):
        return False
    return bool(AxesProxyHandler.is_locked(request, {"username": username}))


def otp_verify(*, request: HttpRequest, token: str) -> Verification:
    """The second step of signing in. A valid code marks the session as verified
    (django_otp.login); a wrong one is audited and counts towards the lockout of the
    account (django-axes, like a wrong password) and the session's own limit."""
    user = cast(User, request.user)
    device = otp_device_for(actor=user)
    if device is None:
        raise ValidationError({"token": _("Two-factor authentication is not on.")})
    username = user.get_username()
    if _axes_locked(request, username):
        logout(request)
        return Verification.LOCKED
    allowed, _info = device.verify_is_allowed()
    if not allowed:
        return Verification.THROTTLED

    verified = django_otp.verify_token(user, device.persistent_id, _clean(token))
    if verified is not None:
        django_otp.login(request, verified)
        request.session.pop(FAILURES_SESSION_KEY, None)
        audit_record(actor=user, action=Action.LOGIN, details={"otp": True}, request=request)
        return Verification.VERIFIED

    failures = int(request.session.get(FAILURES_SESSION_KEY, 0)) + 1
    request.session[FAILURES_SESSION_KEY] = failures
    audit_record(actor=user, action=Action.LOGIN_FAILED, details={"otp": True}, request=request)
    # django-axes counts it like a wrong password (our own receiver skips the audit: done above).
    user_login_failed.send(
        sender=__name__, credentials={"username": username, "otp": True}, request=request
    )
    if failures >= otp_failure_limit() or getattr(request, "axes_locked_out", False):
        logout(request)
        return Verification.LOCKED
    return Verification.WRONG
