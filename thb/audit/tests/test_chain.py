"""The keyed audit chain: every kind of tampering is found, by the check and by
`thb audit verify` against a checkpoint kept outside the database."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.test import RequestFactory

from thb.audit.checkpoint import checkpoint_read_last
from thb.audit.models import AuditChainHead, AuditEvent
from thb.audit.services import (
    Checkpoint,
    audit_chain_report,
    audit_record,
    event_message,
)
from thb.audit.tests.tampering import tampering
from thb.lib.crypto import AuditSigner, generate_key


@pytest.fixture
def chain(db, owner) -> list[AuditEvent]:
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.7")
    return [
        audit_record(
            actor=owner,
            action="read",
            object_type="victims.case",
            object_id=str(n),
            request=request,
        )
        for n in range(1, 6)
    ]


def _rewrite_unkeyed(event: AuditEvent, **changes: object) -> None:
    """What an attacker without the key can do: change columns and recompute every
    later hash with a plain (or self-chosen-key) hash."""
    for name, value in changes.items():
        setattr(event, name, value)
    event.hash = hashlib.sha256(event_message(event)).hexdigest()
    AuditEvent.objects.filter(pk=event.pk).update(
        **changes, hash=event.hash, previous_hash=event.previous_hash
    )


def test_an_intact_chain_verifies_with_positions_and_links(chain):
    report = audit_chain_report(checkpoint=Checkpoint(seq=5, hash=chain[-1].hash))
    assert report.ok, report.problems
    assert [e.seq for e in chain] == [1, 2, 3, 4, 5]
    assert chain[1].previous_hash == chain[0].hash
    assert report.events == 5


def test_the_actor_id_and_address_are_signed(chain, colleague):
    with tampering():
        AuditEvent.objects.filter(pk=chain[2].pk).update(actor=colleague)
        AuditEvent.objects.filter(pk=chain[3].pk).update(ip_address="198.51.100.1")
    assert audit_chain_report().broken == [3, 4]


def test_a_changed_event_is_found(chain):
    with tampering():
        AuditEvent.objects.filter(pk=chain[1].pk).update(object_id="99")
    report = audit_chain_report()
    assert report.broken == [2]
    assert not report.ok


def test_rewriting_and_recomputing_every_later_hash_without_the_key_fails(chain):
    with tampering():
        previous = chain[0].hash
        for event in AuditEvent.objects.order_by("seq")[1:]:
            event.previous_hash = previous
            _rewrite_unkeyed(event, details={"forged": True})
            previous = event.hash
        AuditChainHead.objects.filter(pk=1).update(last_hash=previous)
    report = audit_chain_report()
    assert report.broken == [2, 3, 4, 5]


def test_resigning_with_another_key_fails(chain):
    forger = AuditSigner([generate_key()])
    with tampering():
        event = AuditEvent.objects.get(seq=3)
        event.key_id = forger.key_id
        event.hash = forger.sign(event_message(event))
        AuditEvent.objects.filter(pk=event.pk).update(key_id=event.key_id, hash=event.hash)
    assert 3 in audit_chain_report().broken


def test_a_deleted_event_in_the_middle_is_found(chain):
    with tampering():
        AuditEvent.objects.filter(pk=chain[2].pk).delete()
    report = audit_chain_report()
    assert 4 in report.broken
    assert any("missing" in p for p in report.problems)


def test_an_inserted_event_is_found(chain, owner):
    with tampering():
        # Room made at 3 by moving the later events up one; an event inserted there.
        for event in AuditEvent.objects.filter(seq__gte=3).order_by("-seq"):
            AuditEvent.objects.filter(pk=event.pk).update(seq=F("seq") + 1)
    forged = AuditEvent.objects.get(seq=2)
    forged.pk = None
    forged.seq = 3
    forged.previous_hash = chain[1].hash
    forged.hash = hashlib.sha256(event_message(forged)).hexdigest()
    forged.save(force_insert=True)
    assert set(audit_chain_report().broken) >= {3, 4}


def test_reordered_events_are_found(chain):
    first, second = chain[1], chain[2]
    with tampering():
        AuditEvent.objects.filter(pk=first.pk).update(seq=1000)
        AuditEvent.objects.filter(pk=second.pk).update(seq=first.seq)
        AuditEvent.objects.filter(pk=first.pk).update(seq=second.seq)
    assert set(audit_chain_report().broken) >= {2, 3}


def test_deleting_the_newest_events_is_found_by_the_head_row(chain):
    with tampering():
        AuditEvent.objects.filter(seq__gte=4).delete()
    report = audit_chain_report()
    assert any("head row" in p for p in report.problems)


def test_deleting_the_newest_events_and_resetting_the_head_is_found_by_the_checkpoint(
    chain, tmp_path
):
    path = tmp_path / "checkpoints"
    call_command("audit", "checkpoint", "--file", str(path))
    assert checkpoint_read_last(path) == Checkpoint(seq=5, hash=chain[-1].hash)
    with tampering():
        AuditEvent.objects.filter(seq__gte=4).delete()
        AuditChainHead.objects.filter(pk=1).update(last_seq=3, last_hash=chain[2].hash)
    assert audit_chain_report().ok  # the chain alone cannot see it...
    with pytest.raises(CommandError, match="truncated"):  # ...the checkpoint does
        call_command("audit", "verify", "--checkpoint", str(path))


def test_a_rewritten_chain_differs_from_the_checkpoint(chain, tmp_path):
    path = tmp_path / "checkpoints"
    call_command("audit", "checkpoint", "--file", str(path))
    with tampering():
        AuditEvent.objects.filter(seq=5).delete()
        AuditChainHead.objects.filter(pk=1).update(last_seq=4, last_hash=chain[3].hash)
    audit_record(actor=None, action="read", object_type="x")  # a new event 5
    with pytest.raises(CommandError, match="differs from the checkpoint"):
        call_command("audit", "verify", "--checkpoint", str(path))


def test_verify_passes_and_later_events_after_a_checkpoint_are_fine(chain, tmp_path, capsys):
    path = tmp_path / "checkpoints"
    call_command("audit", "checkpoint", "--file", str(path))
    audit_record(actor=None, action="read", object_type="x")
    call_command("audit", "verify", "--checkpoint", str(path))
    assert "intact" in capsys.readouterr().out
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert json.loads(path.read_text().splitlines()[-1])["seq"] == 5


def test_checkpoint_refuses_to_vouch_for_a_broken_chain(chain, tmp_path):
    with tampering():
        AuditEvent.objects.filter(pk=chain[0].pk).update(action="delete")
    with pytest.raises(CommandError, match="does not verify"):
        call_command("audit", "checkpoint", "--file", str(tmp_path / "c"))
    assert not (tmp_path / "c").exists()


def test_checkpoint_goes_to_syslog(chain, monkeypatch, tmp_path):
    sent: list[str] = []
    monkeypatch.setattr("syslog.syslog", lambda priority, message: sent.append(message))
    monkeypatch.setattr("syslog.openlog", lambda *args: None)
    call_command("audit", "checkpoint", "--syslog", "--no-file")
    assert sent == [f"audit checkpoint seq=5 hash={chain[-1].hash}"]


def test_verify_with_a_missing_checkpoint_file_fails(chain, tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("audit", "verify", "--checkpoint", str(tmp_path / "absent"))


def test_events_signed_before_a_key_rotation_still_verify(chain, settings):
    from thb.lib import crypto

    settings.THB_AUDIT_KEYS = ",".join([generate_key(), *crypto.audit_keys()])
    crypto.default_audit_signer.cache_clear()
    try:
        audit_record(actor=None, action="read", object_type="x")
        report = audit_chain_report()
        assert report.ok, report.problems
        assert AuditEvent.objects.get(seq=6).key_id != chain[0].key_id
    finally:
        crypto.default_audit_signer.cache_clear()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL trigger only")
def test_postgresql_refuses_update_and_delete(chain):
    from django.db import DatabaseError, transaction

    for statement in (
        "UPDATE audit_auditevent SET object_id = '9'",
        "DELETE FROM audit_auditevent",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)


def test_the_recorded_address_is_the_client_behind_the_proxy(db, settings):
    settings.THB_PROXY_COUNT = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.99, 192.0.2.44"
    )
    event = audit_record(actor=None, action="read", object_type="x", request=request)
    assert AuditEvent.objects.get(pk=event.pk).ip_address == "192.0.2.44"
    assert audit_chain_report().ok
