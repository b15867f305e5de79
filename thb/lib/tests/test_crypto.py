import base64
import hashlib
import hmac

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from thb.lib.crypto import (
    TOKEN_V2,
    AuditSigner,
    FieldCipher,
    KeyError_,
    derive_audit_key,
    derive_field_key,
    generate_key,
    load_keys,
)


def _b64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_round_trip_keeps_latvian_text():
    cipher = FieldCipher([generate_key()])
    token = cipher.encrypt("Jānis Bērziņš")
    assert "Jānis" not in token
    assert cipher.decrypt(token) == "Jānis Bērziņš"


def test_new_values_are_aes_gcm_tokens_under_a_derived_key_with_a_fresh_nonce():
    key = generate_key()
    cipher = FieldCipher([key])
    first, second = cipher.encrypt("Anna"), cipher.encrypt("Anna")
    assert first.startswith(TOKEN_V2) and second.startswith(TOKEN_V2)
    assert first != second  # a random nonce per value
    raw = _b64(first.removeprefix(TOKEN_V2))
    key_id, nonce, sealed = raw[:4], raw[4:16], raw[16:]
    assert len(sealed) == len(b"Anna") + 16  # ciphertext and the 16-byte tag
    # Readable with the HKDF-derived key (never the configured key itself), the version
    # and key id bound as associated data.
    aead = AESGCM(derive_field_key(key))
    assert aead.decrypt(nonce, sealed, TOKEN_V2.encode() + key_id) == b"Anna"
    with pytest.raises(InvalidTag):
        AESGCM(base64.urlsafe_b64decode(key)).decrypt(nonce, sealed, TOKEN_V2.encode() + key_id)
    assert cipher.decrypt(first) == cipher.decrypt(second) == "Anna"


def test_fernet_tokens_written_before_the_new_format_are_still_read():
    old, new = generate_key(), generate_key()
    token = MultiFernet([Fernet(old)]).encrypt("Jānis Bērziņš".encode()).decode()
    assert token.startswith("gAAAA")
    assert FieldCipher([old]).decrypt(token) == "Jānis Bērziņš"
    assert FieldCipher([new, old]).decrypt(token) == "Jānis Bērziņš"
    with pytest.raises(KeyError_):
        FieldCipher([new]).decrypt(token)


@pytest.mark.parametrize("where", ["key id", "nonce", "ciphertext", "tag"])
def test_a_tampered_token_is_refused(where):
    cipher = FieldCipher([generate_key()])
    raw = bytearray(_b64(cipher.encrypt("secret").removeprefix(TOKEN_V2)))
    at = {"key id": 0, "nonce": 5, "ciphertext": 17, "tag": len(raw) - 1}[where]
    raw[at] ^= 0x01
    tampered = TOKEN_V2 + base64.urlsafe_b64encode(bytes(raw)).decode()
    with pytest.raises(KeyError_, match="cannot be decrypted"):
        cipher.decrypt(tampered)


def test_a_truncated_or_garbled_token_is_refused():
    cipher = FieldCipher([generate_key()])
    token = cipher.encrypt("secret")
    for broken in (token[:-4], TOKEN_V2 + "!!!", TOKEN_V2, "gAAAAnonsense", token + "x"):
        with pytest.raises(KeyError_):
            cipher.decrypt(broken)


def test_rotation_rewrites_fernet_and_old_key_tokens_in_the_new_format_under_the_new_key():
    old, new = generate_key(), generate_key()
    legacy = MultiFernet([Fernet(old)]).encrypt(b"legacy").decode()
    current = FieldCipher([old]).encrypt("current")
    rotated_cipher = FieldCipher([new, old])
    assert not rotated_cipher.is_current(legacy) and not rotated_cipher.is_current(current)
    for token, value in ((legacy, "legacy"), (current, "current")):
        rotated = rotated_cipher.rotate(token)
        assert rotated.startswith(TOKEN_V2) and rotated_cipher.is_current(rotated)
        assert FieldCipher([new]).decrypt(rotated) == value
        with pytest.raises(KeyError_):
            FieldCipher([old]).decrypt(rotated)


def test_rotation_reads_old_tokens_and_rewrites_them_under_the_new_key():
    old, new = generate_key(), generate_key()
    token = FieldCipher([old]).encrypt("secret")
    rotated_cipher = FieldCipher([new, old])
    assert rotated_cipher.decrypt(token) == "secret"
    rotated = rotated_cipher.rotate(token)
    assert FieldCipher([new]).decrypt(rotated) == "secret"
    with pytest.raises(KeyError_):
        FieldCipher([old]).decrypt(rotated)


def test_key_file_is_created_once_for_development(tmp_path):
    key_file = tmp_path / "keys"
    first = load_keys("", key_file, create=True)
    assert load_keys("", key_file, create=False) == first
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"


def test_missing_keys_in_production_are_refused(tmp_path):
    with pytest.raises(KeyError_, match="THB_FIELD_KEYS"):
        load_keys("", tmp_path / "absent", create=False)


def test_malformed_key_is_named():
    with pytest.raises(KeyError_, match="#2"):
        load_keys(f"{generate_key()},not-a-key", None, create=False)


def test_blind_index_ignores_case_and_spacing():
    cipher = FieldCipher([generate_key()])
    assert cipher.blind_index(" Anna  Liepa") == cipher.blind_index("anna liepa")
    assert cipher.blind_index("Anna Liepa") != cipher.blind_index("Anna Kalna")


def test_the_audit_mac_key_is_derived_not_the_configured_key():
    key = generate_key()
    signer = AuditSigner([key])
    mac = signer.sign(b"event")
    raw = base64.urlsafe_b64decode(key)
    assert mac != hmac.new(raw, b"event", hashlib.sha256).hexdigest()
    assert mac != hmac.new(key.encode(), b"event", hashlib.sha256).hexdigest()
    assert mac == hmac.new(derive_audit_key(key), b"event", hashlib.sha256).hexdigest()


def test_audit_signatures_verify_only_under_their_key():
    old, new = generate_key(), generate_key()
    before = AuditSigner([old])
    mac = before.sign(b"event")
    rotated = AuditSigner([new, old])
    assert rotated.key_id != before.key_id
    assert rotated.verify(b"event", before.key_id, mac)
    assert not rotated.verify(b"event!", before.key_id, mac)
    assert not AuditSigner([new]).verify(b"event", before.key_id, mac)


def test_a_malformed_audit_key_is_named():
    with pytest.raises(KeyError_, match="Audit key #1"):
        AuditSigner(["short"])


def test_a_key_file_made_by_another_process_first_is_used_not_overwritten(tmp_path):
    from thb.lib.files import create_private_file_once

    key_file = tmp_path / "keys"
    other = generate_key()
    assert create_private_file_once(key_file, other + "\n")
    assert not create_private_file_once(key_file, generate_key() + "\n")
    assert load_keys("", key_file, create=True) == [other]
    assert list(tmp_path.iterdir()) == [key_file]  # no temporary file left behind
