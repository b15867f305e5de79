"""Reads about a user's own sign-in factors, and the administrator's lists of
accounts and institutions."""

from __future__ import annotations

from base64 import b32encode
from urllib.parse import quote, urlencode

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from thb.accounts.models import Institution, SetupLink, User

# Shown by authenticator apps above the code, so users can tell THB's entry apart.
OTP_ISSUER = "THB"


def otp_device_for(*, actor: User) -> TOTPDevice | None:
    """The user's confirmed authenticator, if they have enrolled one."""
    return TOTPDevice.objects.filter(user=actor, confirmed=True).order_by("pk").first()


def otp_has_device(*, actor: User) -> bool:
    return TOTPDevice.objects.filter(user=actor, confirmed=True).exists()


def otp_secret_text(device: TOTPDevice) -> str:
    """The secret as base32, in groups of four for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def otp_uri(device: TOTPDevice) -> str:
    """The otpauth:// URI (Key URI format) that authenticator apps import."""
    label = quote(f"{OTP_ISSUER}:{device.user.get_username()}")
    params = urlencode(
        {
            "secret": b32encode(device.bin_key).decode("ascii").rstrip("="),
            "issuer": OTP_ISSUER,
            "algorithm": "SHA1",
            "digits": device.digits,
            "period": device.step,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{params}"


def otp_qr_svg(uri: str, title: str) -> SafeString:
    """The URI as a QR code in inline SVG (segno): no image request, no style attribute
    (the Content Security Policy allows neither inline styles nor other origins), black
    modules on a white quiet zone, scaled by the stylesheet (`svg.otp-qr`)."""
    import segno

    svg = segno.make(uri, error="m").svg_inline(
        scale=4,
        border=4,
        dark="#000",
        light="#fff",
        svgclass="otp-qr",
        lineclass=None,
        omitsize=True,
    )
    # An image with a name for screen readers; the key is also shown as text.
    svg = svg.replace(
        "<svg ", f'<svg role="img" aria-label="{escape(title)}" focusable="false" ', 1
    )
    return mark_safe(svg)  # noqa: S308  (segno's markup; the only text is escaped above)


def recovery_device_for(*, actor: User) -> StaticDevice | None:
    """The user's recovery codes (django-otp's static device), if any were generated."""
    return StaticDevice.objects.filter(user=actor).order_by("pk").first()


def recovery_codes_left(*, actor: User) -> int:
    return StaticToken.objects.filter(device__user=actor).count()


# Administration: what the administrator lists (never a victim record).


def _require_administrator(actor: User) -> None:
    from django.core.exceptions import PermissionDenied

    from thb.accounts.policy import can_administer

    if not can_administer(actor):
        raise PermissionDenied


def user_list(
    *, actor: User, awaiting_setup: bool = False, without_link: bool = False
) -> QuerySet[User]:
    """Every account, with its institution; `awaiting_setup`: active accounts that have
    not set a password yet (created without one: they need a set-up link);
    `without_link`: of those, the ones with no open link (none issued, or expired)."""
    _require_administrator(actor)
    users = User.objects.select_related("institution").order_by("username")
    if awaiting_setup:
        users = users.filter(is_active=True, password__startswith=UNUSABLE_PASSWORD_PREFIX)
    if without_link:
        open_links = SetupLink.objects.filter(
            user=OuterRef("pk"), used_at=None, revoked_at=None, expires_at__gt=timezone.now()
        )
        users = users.filter(~Exists(open_links))
    return users


def user_get(*, actor: User, username: str) -> User:
    _require_administrator(actor)
    return get_object_or_404(User.objects.select_related("institution"), username=username)


def user_open_setup_link(*, actor: User, user: User) -> SetupLink | None:
    """The account's open set-up link (its expiry is shown; the token never is)."""
    _require_administrator(actor)
    return (
        SetupLink.objects.filter(
            user=user, used_at=None, revoked_at=None, expires_at__gt=timezone.now()
        )
        .order_by("-created_at")
        .first()
    )


def institution_list(*, actor: User) -> QuerySet[Institution]:
    _require_administrator(actor)
    return Institution.objects.annotate(user_count=Count("users")).order_by("code")


def institution_get(*, actor: User, code: str) -> Institution:
    _require_administrator(actor)
    return get_object_or_404(Institution, code=code)
