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
    from thb.accounts.policy import can_administer
    from thb.activities import policy as activities
    from thb.audit.policy import can_read_audit_log
    from thb.interop import policy as interop
    from thb.justice.policy import sees_all_proceedings
    from thb.reports.policy import can_read_statistics
    from thb.residence.policy import can_see_deadlines
    from thb.returns.policy import is_step_partner
    from thb.victims.policy import CasePolicy

    return {
        "nav": {
            "cases": CasePolicy.can_list(user),
            "intake": CasePolicy.can_create(user),
            "deadlines": can_see_deadlines(user),
            "return_steps": is_step_partner(user),
            "activities": activities.can_read(user),
            "activities_statistics": activities.can_see_statistics(user),
            "justice_statistics": sees_all_proceedings(user),
            "submission": interop.can_submit(user),
            "submissions": interop.can_review(user),
            "import": interop.can_import_any(user),
            "statistics": can_read_statistics(user),
            "report": can_read_statistics(user),
            "audit": can_read_audit_log(user),
            "administration": can_administer(user),
            "admin": user.is_staff,
        }
    }
