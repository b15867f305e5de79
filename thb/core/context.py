"""Template context shared by every page: which areas the signed-in user may open.
The checks are the same functions the views use, so a link is shown exactly when
its page would open."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from thb.accounts.models import Role


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from thb.reports.policy import can_read_statistics
    from thb.victims.selectors import can_see_cases

    return {
        "nav": {
            "cases": can_see_cases(user),
            "intake": user.role == Role.CASEWORKER,
            "statistics": can_read_statistics(user),
            "report": can_read_statistics(user),
            "audit": user.role == Role.AUDITOR,
            "admin": user.is_staff,
        }
    }
