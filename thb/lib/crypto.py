"""Encryption of identifying fields at rest.

Fernet (AES-128-CBC with HMAC-SHA256) from `cryptography`, through MultiFernet so that
keys can be rotated: the first key encrypts, every listed key decrypts. `rotate()`
re-encrypts a token under the current key.

Keys come from the environment (THB_FIELD_KEYS, comma-separated, newest first) or
from a key file (one key a line, newest first). A development instance creates its
key file on first use; production refuses to run without keys (see settings).
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class KeyError_(RuntimeError):
    """The field-encryption keys are missing or malformed."""


def generate_key() -> str:
    return Fernet.generate_key().decode("ascii")


def load_keys(env_value: str, key_file: Path | None, *, create: bool) -> list[str]:
    """Return the keys, newest first, from the environment value or the key file."""
    if env_value.strip():
        keys = [k.strip() for k in env_value.split(",") if k.strip()]
    elif key_file is not None and key_file.exists():
        keys = [
            line.strip()
            for line in key_file.read_text(encoding="ascii").splitlines()
            if line.strip() and not line.startswith("#")
        ]
    elif key_file is not None and create:
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key = generate_key()
        key_file.write_text(
            "# THB field-encryption keys, newest first. Losing this file loses the data.\n"
            + key
            + "\n",
            encoding="ascii",
        )
        key_file.chmod(0o600)
        keys = [key]
    else:
        raise KeyError_(
            "No field-encryption key: set THB_FIELD_KEYS or provide the key file "
            f"{key_file} (generate one with `thb genkey`)."
        )
    for index, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            raise KeyError_(f"Field-encryption key #{index} is not a valid Fernet key") from None
    return keys


class FieldCipher:
    """Encrypts and decrypts text values; keys newest first."""

    def __init__(self, keys: list[str]) -> None:
        if not keys:
            raise KeyError_("FieldCipher needs at least one key")
        self._fernet = MultiFernet([Fernet(k) for k in keys])
        # A separate key for blind indexes, derived so that it changes with the newest key.
        self._index_key = hashlib.sha256(b"thb-blind-index:" + keys[0].encode()).digest()

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except InvalidToken:
            raise KeyError_("A stored value cannot be decrypted with the configured keys") from None

    def rotate(self, token: str) -> str:
        return self._fernet.rotate(token.encode("ascii")).decode("ascii")

    def blind_index(self, value: str) -> str:
        """A keyed hash for exact-match look-ups without storing the value."""
        normalised = " ".join(value.casefold().split())
        return hmac.new(self._index_key, normalised.encode("utf-8"), hashlib.sha256).hexdigest()


@lru_cache(maxsize=1)
def default_cipher() -> FieldCipher:
    from django.conf import settings

    keys = load_keys(
        settings.THB_FIELD_KEYS,
        Path(settings.THB_FIELD_KEY_FILE),
        create=not settings.THB_PRODUCTION,
    )
    return FieldCipher(keys)
