"""Encryption of identifying fields at rest.

Values are written as version-2 tokens: AES-256-GCM (authenticated encryption, from
`cryptography`) under a key derived with HKDF-SHA256 from each configured key, a random
96-bit nonce per value, the token's version and key id bound as associated data:

    "v2:" + base64url(key id (4 bytes) + nonce (12 bytes) + ciphertext + tag (16 bytes))

Tokens written before (Fernet: AES-128-CBC with HMAC-SHA256, "gAAAAA…") are still read
with the same keys, so no stored value needs converting; `thb rotatekeys` rewrites
them in the new format under the newest key. The first key encrypts, every listed key
decrypts (rotation); `rotate()` re-encrypts a token under the newest key. GCM was
chosen for speed (a bulk import encrypts three values a row: about 3 µs each instead
of Fernet's 13 µs); with random nonces one key may encrypt up to 2**32 values (NIST
SP 800-38D), far beyond a register's lifetime between rotations.

Keys come from the environment (THB_FIELD_KEYS, comma-separated, newest first) or
from a key file (one key a line, newest first). A development instance creates its
key file on first use, but never while encrypted values are stored (a new key would
make them unreadable); production refuses to run without keys (see settings).

The audit chain is keyed too (`AuditSigner`): its own key ring (THB_AUDIT_KEYS or the
audit key file), from which the HMAC key is derived with HKDF, so neither a field key
nor the stored audit secret is ever used as the MAC key directly.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from thb.lib.files import create_private_file_once


class KeyError_(RuntimeError):
    """The field-encryption keys are missing or malformed."""


def generate_key() -> str:
    return Fernet.generate_key().decode("ascii")


def parse_keys(text: str, *, separator: str | None = None) -> list[str]:
    """The keys in an environment value (comma-separated) or a key file (one a line,
    `#` starts a comment line)."""
    parts = text.split(separator) if separator else text.splitlines()
    return [p.strip() for p in parts if p.strip() and not p.strip().startswith("#")]


def validate_keys(keys: list[str], *, label: str = "Field-encryption") -> list[str]:
    """Raise KeyError_ naming the first malformed key (by position, never its value)."""
    if not keys:
        raise KeyError_(f"{label} key list is empty")
    for index, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            raise KeyError_(f"{label} key #{index} is not a valid key (use `thb genkey`)") from None
    return keys


def load_keys(
    env_value: str,
    key_file: Path | None,
    *,
    create: bool | Callable[[], bool],
    label: str = "Field-encryption",
    env_name: str = "THB_FIELD_KEYS",
) -> list[str]:
    """Return the keys, newest first, from the environment value or the key file.

    `create` allows a missing key file to be generated (development); it may be a
    callable so that the (database) question "may a new key be made?" is asked only
    when the file is really missing. A callable that refuses raises its own KeyError_.
    """
    if env_value.strip():
        keys = parse_keys(env_value, separator=",")
    elif key_file is not None and key_file.exists():
        keys = parse_keys(key_file.read_text(encoding="ascii"))
    elif key_file is not None and (create() if callable(create) else create):
        key = generate_key()
        text = f"# THB {label.lower()} keys, newest first. Losing this file loses the data.\n"
        if create_private_file_once(key_file, text + key + "\n"):
            keys = [key]
        else:  # another process made it first: use that one
            keys = parse_keys(key_file.read_text(encoding="ascii"))
    else:
        raise KeyError_(
            f"No {label.lower()} key: set {env_name} or provide the key file "
            f"{key_file} (generate one with `thb genkey`)."
        )
    return validate_keys(keys, label=label)


# The prefix of version-2 tokens (AES-256-GCM); ":" is never in a Fernet token.
TOKEN_V2 = "v2:"  # noqa: S105 (a format prefix, not a secret)
_KEY_ID_BYTES = 4
_NONCE_BYTES = 12


def _decode(token: str) -> bytes:
    """The bytes of a version-2 token; strict base64url (nothing after the padding)."""
    return base64.b64decode(token[len(TOKEN_V2) :].encode("ascii"), altchars=b"-_", validate=True)


def derive_field_key(key: str) -> bytes:
    """The AES-256-GCM key of a configured field key: HKDF-SHA256 with a purpose
    label, so the configured key itself never keys two algorithms."""
    raw = base64.urlsafe_b64decode(key.encode("ascii"))
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"thb-field", info=b"thb-field-aes256gcm-v2"
    ).derive(raw)


def _field_key_id(derived: bytes) -> bytes:
    return hmac.new(derived, b"thb-field-key-id", hashlib.sha256).digest()[:_KEY_ID_BYTES]


class FieldCipher:
    """Encrypts and decrypts text values; keys newest first."""

    def __init__(self, keys: list[str]) -> None:
        if not keys:
            raise KeyError_("FieldCipher needs at least one key")
        # Fernet reads the tokens written before version 2.
        self._fernet = MultiFernet([Fernet(k) for k in keys])
        derived = [derive_field_key(k) for k in keys]
        self._aeads = {_field_key_id(d): AESGCM(d) for d in derived}
        self._key_id = _field_key_id(derived[0])
        self._aead = self._aeads[self._key_id]
        self._aad = TOKEN_V2.encode("ascii") + self._key_id
        # A separate key for blind indexes, derived so that it changes with the newest key.
        self._index_key = hashlib.sha256(b"thb-blind-index:" + keys[0].encode()).digest()

    def encrypt(self, plaintext: str) -> str:
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, plaintext.encode("utf-8"), self._aad)
        body = base64.urlsafe_b64encode(self._key_id + nonce + sealed)
        return TOKEN_V2 + body.decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            if token.startswith(TOKEN_V2):
                return self._decrypt_v2(token)
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except (InvalidToken, InvalidTag, ValueError, binascii.Error):
            raise KeyError_("A stored value cannot be decrypted with the configured keys") from None

    def _decrypt_v2(self, token: str) -> str:
        raw = _decode(token)
        key_id = raw[:_KEY_ID_BYTES]
        aead = self._aeads.get(key_id)
        if aead is None:
            raise InvalidTag
        nonce = raw[_KEY_ID_BYTES : _KEY_ID_BYTES + _NONCE_BYTES]
        sealed = raw[_KEY_ID_BYTES + _NONCE_BYTES :]
        aad = TOKEN_V2.encode("ascii") + key_id
        return aead.decrypt(nonce, sealed, aad).decode("utf-8")

    def is_current(self, token: str) -> bool:
        """Whether a token is in the current format under the newest key."""
        if not token.startswith(TOKEN_V2):
            return False
        try:
            raw = _decode(token)
        except (ValueError, binascii.Error):
            return False
        return raw[:_KEY_ID_BYTES] == self._key_id

    def rotate(self, token: str) -> str:
        """The token re-encrypted in the current format under the newest key."""
        return self.encrypt(self.decrypt(token))

    def blind_index(self, value: str) -> str:
        """A keyed hash for exact-match look-ups without storing the value."""
        normalised = " ".join(value.casefold().split())
        return hmac.new(self._index_key, normalised.encode("utf-8"), hashlib.sha256).hexdigest()


class AuditSigner:
    """HMAC-SHA256 of audit events under keys derived from the audit key ring.

    Each MAC names its key by `key_id` (a fingerprint, not the key), so events signed
    before a rotation still verify while the old key stays in the ring."""

    def __init__(self, keys: list[str]) -> None:
        if not keys:
            raise KeyError_("AuditSigner needs at least one key")
        derived = [derive_audit_key(k) for k in validate_keys(keys, label="Audit")]
        self._keys = {_key_id(d): d for d in derived}
        self.key_id = _key_id(derived[0])

    def sign(self, message: bytes, key_id: str | None = None) -> str:
        key = self._keys.get(key_id or self.key_id)
        if key is None:
            raise KeyError_(f"Audit key {key_id} is not in the configured audit key ring")
        return hmac.new(key, message, hashlib.sha256).hexdigest()

    def verify(self, message: bytes, key_id: str, mac: str) -> bool:
        key = self._keys.get(key_id)
        if key is None:
            return False
        return hmac.compare_digest(hmac.new(key, message, hashlib.sha256).hexdigest(), mac)


def derive_audit_key(key: str) -> bytes:
    """The MAC key for the audit chain: HKDF-SHA256 over the configured audit key, with
    a purpose label, so the configured secret itself never keys a MAC."""
    raw = base64.urlsafe_b64decode(key.encode("ascii"))
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"thb-audit", info=b"thb-audit-chain-v1"
    ).derive(raw)


def _key_id(derived: bytes) -> str:
    return hmac.new(derived, b"thb-audit-key-id", hashlib.sha256).hexdigest()[:16]


def _stored_rows_exist(check: Callable[[], bool]) -> bool:
    """Run a database question only if the database is reachable and migrated; a
    development checkout without a database has nothing a new key could orphan."""
    from django.db import DatabaseError

    try:
        return check()
    except DatabaseError:
        return False


def _encrypted_values_exist() -> bool:
    from django.apps import apps
    from django.db import connection

    tables = set(connection.introspection.table_names())
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if getattr(f, "holds_ciphertext", False)]
        if not fields or model._meta.db_table not in tables:
            continue
        for field in fields:
            if (
                model._default_manager.exclude(**{field.attname: ""})
                .exclude(**{f"{field.attname}__isnull": True})
                .exists()
            ):
                return True
    return False


def _keyed_audit_events_exist() -> bool:
    from django.apps import apps
    from django.db import connection

    model = apps.get_model("audit", "AuditEvent")
    if model._meta.db_table not in connection.introspection.table_names():
        return False
    return bool(model._default_manager.exclude(key_id="").exists())


def _may_create(label: str, key_file: Path, env_name: str, rows_exist: Callable[[], bool]) -> bool:
    from django.conf import settings

    if settings.THB_PRODUCTION:
        return False
    if _stored_rows_exist(rows_exist):
        raise KeyError_(
            f"The {label.lower()} key file {key_file} is missing, but the database holds "
            f"data made with it: a new key would make that data unreadable. Restore the "
            f"key file from your key backup (or set {env_name}); for a throw-away "
            f"development database, delete the database instead."
        )
    return True


@lru_cache(maxsize=1)
def default_cipher() -> FieldCipher:
    from django.conf import settings

    key_file = Path(settings.THB_FIELD_KEY_FILE)
    keys = load_keys(
        settings.THB_FIELD_KEYS,
        key_file,
        create=lambda: _may_create(
            "Field-encryption", key_file, "THB_FIELD_KEYS", _encrypted_values_exist
        ),
    )
    return FieldCipher(keys)


def audit_keys(*, create: bool | Callable[[], bool] | None = None) -> list[str]:
    """The audit key ring from settings (THB_AUDIT_KEYS or THB_AUDIT_KEY_FILE)."""
    from django.conf import settings

    key_file = Path(settings.THB_AUDIT_KEY_FILE)
    return load_keys(
        settings.THB_AUDIT_KEYS,
        key_file,
        create=create
        if create is not None
        else (lambda: _may_create("Audit", key_file, "THB_AUDIT_KEYS", _keyed_audit_events_exist)),
        label="Audit",
        env_name="THB_AUDIT_KEYS",
    )


@lru_cache(maxsize=1)
def default_audit_signer() -> AuditSigner:
    return AuditSigner(audit_keys())


def derive_linkage_key(key: str) -> bytes:
    """The HMAC-SHA256 key of the record-linkage keys (thb/linkage): HKDF-SHA256 over a
    configured field key with its own purpose label, so that neither the field key nor
    the blind-index key ever keys the linkage hashes."""
    raw = base64.urlsafe_b64decode(key.encode("ascii"))
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"thb-linkage", info=b"thb-linkage-hmac-v1"
    ).derive(raw)


@lru_cache(maxsize=1)
def default_linkage_key() -> bytes:
    """The linkage HMAC key of the newest configured field key (a rotation changes
    every linkage key: `thb linkage rekey` recomputes them)."""
    from django.conf import settings

    key_file = Path(settings.THB_FIELD_KEY_FILE)
    keys = load_keys(
        settings.THB_FIELD_KEYS,
        key_file,
        create=lambda: _may_create(
            "Field-encryption", key_file, "THB_FIELD_KEYS", _encrypted_values_exist
        ),
    )
    return derive_linkage_key(keys[0])
