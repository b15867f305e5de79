"""Existing events (the unkeyed chain of 0001) are re-chained under the audit key by
migration 0003, and a break in the old chain stays on record."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from thb.audit.services import audit_chain_report

OLD = [("audit", "0001_initial")]
pytestmark = pytest.mark.django_db(transaction=True)


def _old_hash(previous: str, row: Mapping[str, object]) -> str:
    body = json.dumps(row, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256((previous + body).encode("utf-8")).hexdigest()


def _migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def test_existing_events_are_rechained_and_an_old_break_is_kept(db):
    latest = _migrate(OLD).loader.graph.leaf_nodes("audit")
    Event = (
        MigrationExecutor(connection)
        .loader.project_state(OLD)
        .apps.get_model("audit", "AuditEvent")
    )
    previous = "0" * 64
    for n in range(3):
        at = timezone.now()
        row = {
            "at": at.isoformat(),
            "actor": "marta",
            "institution": "marta",
            "action": "read",
            "object_type": "victims.case",
            "object_id": str(n),
            "details": {},
        }
        digest = _old_hash(previous, row)
        Event.objects.create(
            at=at,
            actor_username="marta",
            institution_code="marta",
            action="read",
            object_type="victims.case",
            object_id=str(n),
            details={},
            previous_hash=previous,
            # The second event was altered before the upgrade: its old hash is wrong.
            hash=digest if n != 1 else "e" * 64,
        )
        previous = digest if n != 1 else "e" * 64
    _migrate(latest)

    from thb.audit.models import AuditEvent

    report = audit_chain_report()
    assert report.ok, report.problems
    assert list(AuditEvent.objects.values_list("seq", flat=True)) == [1, 2, 3, 4]
    closing = AuditEvent.objects.get(seq=4)
    assert closing.object_type == "audit.chain"
    assert closing.details["rechained_events"] == 3
    assert closing.details["previously_broken_count"] == 1
