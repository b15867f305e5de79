"""The link the case page shows to the residence track (foreign non-EU victims only,
for the owning caseworkers and the process director of the proceeding)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thb.accounts.models import User
from thb.residence.policy import can_see_track
from thb.residence.services import out_of_scope_reason
from thb.victims.models import Case

# How the case timeline names the residence steps (thb.victims' case page).
EVENT_LABELS = {
    "residence.information_given": gettext_lazy("Information on the reflection period given"),
    "residence.application": gettext_lazy("Reflection period applied for"),
    "residence.reflection_decision": gettext_lazy("Reflection period decided"),
    "residence.evaluation": gettext_lazy("Process director's evaluation"),
    "residence.permit_request": gettext_lazy("Residence permit requested"),
    "residence.permit": gettext_lazy("Residence permit issued"),
}
# The day each step happened, as its data records it (the timeline's order).
EVENT_DATES = {
    "residence.information_given": "given_on",
    "residence.application": "submitted_on",
    "residence.reflection_decision": "decided_on",
    "residence.evaluation": "evaluated_on",
    "residence.permit_request": "requested_on",
    "residence.permit": "issued_on",
}


def case_links(*, actor: User, case: Case) -> list[dict[str, str]]:
    if not can_see_track(actor, case):
        return []
    if out_of_scope_reason(case) is not None:
        return []
    return [{"url": reverse("residence:track", args=[case.person.code]), "label": _("Residence")}]
