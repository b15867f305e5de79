"""Re-chain the existing events under the audit key (HMAC over every column).

The old chain (unkeyed SHA-256 over some columns) is verified first; the result is
written into one closing event (`audit.chain` update), so a break that existed before
the re-chaining stays on record instead of being signed over silently."""

import hashlib
import json

from django.db import migrations
from django.utils import timezone

GENESIS = "0" * 64


def _old_digest(previous, event):
    payload = {
        "at": event.at.isoformat(),
        "actor": event.actor_username,
        "institution": event.institution_code,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "details": event.details,
    }
    body = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256((previous + body).encode("utf-8")).hexdigest()


def rechain(apps, schema_editor):
    from thb.audit.services import event_message
    from thb.lib.crypto import AuditSigner, audit_keys

    Event = apps.get_model("audit", "AuditEvent")
    Head = apps.get_model("audit", "AuditChainHead")
    if not Event.objects.exists():
        return
    # No keyed event exists yet, so a development checkout may create its audit key.
    from django.conf import settings

    signer = AuditSigner(audit_keys(create=not settings.THB_PRODUCTION))
    previously_broken = []
    old_previous = GENESIS
    previous = GENESIS
    seq = 0
    for event in Event.objects.order_by("id").iterator():
        if event.previous_hash != old_previous or event.hash != _old_digest(old_previous, event):
            previously_broken.append(event.pk)
        old_previous = event.hash
        seq += 1
        event.seq = seq
        event.key_id = signer.key_id
        event.previous_hash = previous
        event.hash = signer.sign(event_message(event))
        event.save(update_fields=["seq", "key_id", "previous_hash", "hash"])
        previous = event.hash
    closing = Event(
        seq=seq + 1,
        at=timezone.now(),
        actor=None,
        actor_username="",
        institution_code="",
        action="update",
        object_type="audit.chain",
        object_id="",
        details={
            "rechained_events": seq,
            "previously_broken_ids": previously_broken[:1000],
            "previously_broken_count": len(previously_broken),
        },
        ip_address=None,
        previous_hash=previous,
        key_id=signer.key_id,
    )
    closing.hash = signer.sign(event_message(closing))
    closing.save(force_insert=True)
    Head.objects.update_or_create(
        pk=1, defaults={"last_seq": closing.seq, "last_hash": closing.hash}
    )


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_keyed_chain_fields")]

    operations = [migrations.RunPython(rechain, migrations.RunPython.noop)]
