"""What the case page (thb.victims) shows of support: a link to the rehabilitation plan
for the owning caseworkers of a recognised victim, and the timeline labels."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thb.accounts.models import User
from thb.support.policy import can_edit_plan
from thb.victims.models import Case, CaseStatus

EVENT_LABELS = {
    "support_plan_saved": gettext_lazy("Rehabilitation plan saved"),
    "support_service_logged": gettext_lazy("Rehabilitation service logged"),
    "state_compensation_paid": gettext_lazy("State compensation paid"),
}
# The day each event happened, as its data records it (the timeline's order).
EVENT_DATES = {
    "support_plan_saved": "starts_on",
    "support_service_logged": "delivered_on",
    "state_compensation_paid": "paid_on",
}


def case_links(*, actor: User, case: Case) -> list[dict[str, str]]:
    if case.status != CaseStatus.RECOGNISED or not can_edit_plan(actor, case):
        return []
    return [
        {"url": reverse("support:plan", args=[case.person.code]), "label": _("Rehabilitation plan")}
    ]
