"""Writing audit events. Every write of a person's record, and every read, goes here."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from thb.accounts.models import User
from thb.audit.models import Action, AuditChainHead, AuditEvent

GENESIS = "0" * 64


def _digest(previous: str, payload: dict[str, Any]) -> str:
    body = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256((previous + body).encode("utf-8")).hexdigest()


def _payload(event: AuditEvent) -> dict[str, Any]:
    return {
        "at": event.at.isoformat(),
        "actor": event.actor_username,
        "institution": event.institution_code,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "details": event.details,
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
    audited write and its event are committed or rolled back together."""
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or str(target.pk)
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"last_hash": GENESIS}
        )
        event = AuditEvent(
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
            details=details or {},
            ip_address=request.META.get("REMOTE_ADDR") if request is not None else None,
            previous_hash=head.last_hash,
        )
        event.hash = _digest(head.last_hash, _payload(event))
        event.save(force_insert=True)
        head.last_hash = event.hash
        head.save(update_fields=["last_hash"])
    return event


def audit_read(
    *, actor: User, target: models.Model, request: HttpRequest | None = None, **details: Any
) -> AuditEvent:
    return audit_record(
        actor=actor, action=Action.READ, target=target, details=details, request=request
    )


def audit_verify_chain() -> list[int]:
    """Return the ids of events whose hash does not follow from the chain (empty: intact)."""
    broken: list[int] = []
    previous = GENESIS
    for event in AuditEvent.objects.order_by("id").iterator():
        if event.previous_hash != previous or event.hash != _digest(previous, _payload(event)):
            broken.append(event.pk)
        previous = event.hash
    return broken
