"""The link the case page shows to record a screening (for those who may record one on
the case: its owning caseworkers)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thb.accounts.models import User
from thb.screening.policy import ScreeningPolicy
from thb.victims.models import Case

# How the case timeline names the screening events (thb.victims' case page).
EVENT_LABELS = {
    "screening_recorded": gettext_lazy("Screening recorded"),
    "screening_attached": gettext_lazy("Screening attached"),
}


def case_links(*, actor: User, case: Case) -> list[dict[str, str]]:
    if not ScreeningPolicy.can_record(actor, case):
        return []
    url = reverse("screening:case_screening", args=[case.person.code])
    return [{"url": url, "label": _("Record a screening")}]
