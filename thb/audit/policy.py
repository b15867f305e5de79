"""Who reads the audit log: the data protection officer (auditor) alone.
Administrators manage accounts, and who reads the trail of their own actions is kept
apart from them."""

from __future__ import annotations

from thb.accounts.models import Role, User
from thb.core.routes import Route, ok


def can_read_audit_log(actor: User) -> bool:
    return actor.is_active and actor.role == Role.AUDITOR


# Expected statuses of this app's routes (thb/core/routes.py explains the table).
ROUTES: dict[str, Route] = {
    "audit:event_list": ok("auditor", shows_codes=True),
}
