"""Template context shared by every page: which areas the signed-in user may open.
The checks are the same functions the views use, so a link is shown exactly when
its page would open."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from thb.audit.policy import can_read_audit_log
    from thb.reports.policy import can_see_statistics
    from thb.victims.policy import CasePolicy

    return {
        "nav": {
            "cases": CasePolicy.can_list(user),
            "intake": CasePolicy.can_create(user),
            "statistics": can_see_statistics(user),
            "audit": can_read_audit_log(user),
            "admin": user.is_staff,
        }
    }
