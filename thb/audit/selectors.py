from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from thb.accounts.models import User
from thb.audit.models import AuditEvent
from thb.audit.policy import can_read_audit_log


def audit_event_list(
    *, actor: User, object_type: str = "", object_id: str = "", username: str = ""
) -> QuerySet[AuditEvent]:
    """The audit log is for the data protection officer (auditor) alone: administrators
    manage accounts, and who reads the trail of their own actions is kept apart."""
    if not can_read_audit_log(actor):
        raise PermissionDenied
    events = AuditEvent.objects.order_by("-id")
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id:
        events = events.filter(object_id=object_id)
    if username:
        events = events.filter(actor_username=username)
    return events
