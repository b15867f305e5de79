"""Writing and verifying audit events. Every write of a person's record, and every
read, goes here.

Each event carries its position (`seq`, 1, 2, 3, ... without gaps), the previous
event's MAC and its own MAC: HMAC-SHA256 under the audit key (thb.lib.crypto) over
every column, actor id and address included. Without the key a rewritten event cannot
be re-signed; a deleted, inserted or reordered event breaks the positions or the links;
cutting off the newest events shows against the head row and, if that was reset too,
against a checkpoint kept outside the database (`thb audit checkpoint`).
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from thb.accounts.models import User
from thb.audit.models import Action, AuditChainHead, AuditEvent
from thb.core.client import client_address
from thb.lib.crypto import AuditSigner, default_audit_signer

GENESIS = "0" * 64
# The auditor's page and the command list at most this many problems.
MAX_PROBLEMS = 100


def event_message(event: Any) -> bytes:
    """The signed bytes of an event: every column except the MAC itself. Takes any
    object with the event's attributes, so the migration that re-chained existing
    events signs them exactly as this module verifies them."""
    payload = {
        "seq": event.seq,
        "at": event.at.isoformat(),
        "actor_id": event.actor_id,
        "actor": event.actor_username,
        "institution": event.institution_code,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "details": event.details,
        "ip_address": event.ip_address,
        "previous_hash": event.previous_hash,
        "key_id": event.key_id,
    }
    body = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return body.encode("utf-8")


def _client_address(request: HttpRequest | None) -> str | None:
    address = client_address(request) if request is not None else None
    if not address:
        return None
    # Stored as the field stores it (IPv6 normalised), so the signed value is the
    # value read back.
    value = AuditEvent._meta.get_field("ip_address").get_prep_value(address)
    return str(value) if value else None


def iso_dates(values: dict[str, Any]) -> dict[str, Any]:
    """The values with dates as ISO text, as JSON columns (audit details, timeline
    data) store them."""
    return {
        key: value.isoformat() if isinstance(value, datetime.date) else value
        for key, value in values.items()
    }


def audit_record(
    *,
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    details: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Append one event to the chain. Runs inside the caller's transaction, so an
    audited write and its event are committed or rolled back together. Dates in
    `details` are stored as ISO text."""
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or str(target.pk)
    signer = default_audit_signer()
    # No savepoint: the event belongs to the caller's transaction (a failure here fails
    # the audited write too), and a savepoint costs two round trips per event.
    with transaction.atomic(savepoint=False):
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"last_hash": GENESIS, "last_seq": 0}
        )
        event = AuditEvent(
            seq=head.last_seq + 1,
            at=timezone.now(),
            actor=actor if actor is not None and actor.pk else None,
            actor_username=actor.get_username() if actor is not None else "",
            institution_code=(
                actor.institution.code
                if actor is not None and actor.institution is not None
                else ""
            ),
            action=action,
            object_type=object_type,
            object_id=object_id,
            details=iso_dates(details or {}),
            ip_address=_client_address(request),
            previous_hash=head.last_hash,
            key_id=signer.key_id,
        )
        event.hash = signer.sign(event_message(event))
        event.save(force_insert=True)
        head.last_seq = event.seq
        head.last_hash = event.hash
        head.save(update_fields=["last_seq", "last_hash"])
    return event


def audit_read(
    *, actor: User, target: models.Model, request: HttpRequest | None = None, **details: Any
) -> AuditEvent:
    return audit_record(
        actor=actor, action=Action.READ, target=target, details=details, request=request
    )


@dataclass(frozen=True)
class Checkpoint:
    """The chain's head as written outside the database by `thb audit checkpoint`."""

    seq: int
    hash: str


@dataclass
class ChainReport:
    """What `audit_chain_report` found; `ok` only if nothing at all."""

    events: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS
    broken: list[int] = field(default_factory=list)  # seq of events that fail
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.broken and not self.problems

    def _problem(self, text: str, seq: int | None = None) -> None:
        if seq is not None and seq not in self.broken:
            self.broken.append(seq)
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(text)


def audit_chain_report(
    *, checkpoint: Checkpoint | None = None, signer: AuditSigner | None = None
) -> ChainReport:
    """Check every event in order against its position, its predecessor and its MAC,
    the head row against the newest event, and the chain against `checkpoint`."""
    signer = signer or default_audit_signer()
    report = ChainReport()
    checkpoint_hash: str | None = None
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        expected = report.head_seq + 1
        if event.seq != expected:
            report._problem(
                f"event {event.seq} follows event {report.head_seq}: "
                f"events are missing or were inserted",
                event.seq,
            )
        if event.previous_hash != report.head_hash:
            report._problem(f"event {event.seq} does not link to its predecessor", event.seq)
        if not signer.verify(event_message(event), event.key_id, event.hash):
            report._problem(
                f"event {event.seq} was altered or not signed with the audit key", event.seq
            )
        if checkpoint is not None and event.seq == checkpoint.seq:
            checkpoint_hash = event.hash
        report.events += 1
        report.head_seq, report.head_hash = event.seq, event.hash
    head = AuditChainHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.last_seq, head.last_hash) if head else (0, GENESIS)
    if (head_seq, head_hash) != (report.head_seq, report.head_hash):
        report._problem(
            f"the head row names event {head_seq}, the newest event is {report.head_seq}: "
            "events were removed or the head was altered"
        )
    if checkpoint is not None:
        if report.head_seq < checkpoint.seq:
            report._problem(
                f"the checkpoint names event {checkpoint.seq}, the newest event is "
                f"{report.head_seq}: the chain was truncated"
            )
        elif checkpoint_hash != checkpoint.hash:
            report._problem(
                f"event {checkpoint.seq} differs from the checkpoint: the chain was rewritten"
            )
    return report


def audit_verify_chain() -> list[int]:
    """The positions of events that do not verify (empty: intact). Problems of the whole
    chain (head, checkpoint) are in `audit_chain_report`."""
    return audit_chain_report().broken
