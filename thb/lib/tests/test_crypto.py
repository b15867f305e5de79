import base64
import hashlib
import hmac

import pytest

from thb.lib.crypto import (
    AuditSigner,
    FieldCipher,
    KeyError_,
    derive_audit_key,
    generate_key,
    load_keys,
)


def test_round_trip_keeps_latvian_text():
    cipher = FieldCipher([generate_key()])
    token = cipher.encrypt("Jānis Bērziņš")
    assert "Jānis" not in token
    assert cipher.decrypt(token) == "Jānis Bērziņš"


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
