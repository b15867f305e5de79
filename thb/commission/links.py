"""What the commission adds to a victim's case page: for the owning caseworker of a
convening provider, the link to put the case before the commission (or to its status
once it is there), and the timeline's label of the submission."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thb.accounts.models import User
from thb.commission import policy
from thb.commission.models import Submission
from thb.victims.models import Case
from thb.victims.policy import CasePolicy

EVENT_LABELS = {"commission.submitted": gettext_lazy("Put before the specialist commission")}


def case_links(*, actor: User, case: Case) -> list[dict[str, str]]:
    if not (CasePolicy(actor, case).can_route and policy.is_convening(case.institution)):
        return []
    url = reverse("commission:submit", args=[case.person.code])
    if Submission.objects.filter(case=case).exists():
        return [{"url": url, "label": _("Specialist commission")}]
    if policy.can_submit(actor, case):
        return [{"url": url, "label": _("Put before the specialist commission")}]
    return []
