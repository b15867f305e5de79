"""Reads about a user's own sign-in factors."""

from __future__ import annotations

from base64 import b32encode
from urllib.parse import quote, urlencode

from django_otp.plugins.otp_totp.models import TOTPDevice

from thb.accounts.models import User

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
