"""The link the case page shows to the return plan (for the owning caseworkers, on a
case identified abroad or one that has a plan), and how the case timeline names the
plan's events: one kind per step kind of the profile, dated by the day it was done."""

from __future__ import annotations

from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thb.accounts.models import User
from thb.core.languages import current_language
from thb.profiles import get_profile
from thb.returns import policy
from thb.returns.models import ReturnPlan
from thb.victims.models import Case


def _step_label(code: str) -> str:
    label = get_profile().returns.step_kind(code).label.get(current_language())
    return _("Return: %(step)s") % {"step": label}


step_label = lazy(_step_label, str)

# How the case timeline names the return's events (thb.victims' case page).
EVENT_LABELS = {
    "returns.plan": gettext_lazy("Return plan opened"),
    "returns.cost": gettext_lazy("Return cost recorded"),
    **{f"returns.{kind.code}": step_label(kind.code) for kind in get_profile().returns.step_kinds},
}
# The day each event happened, as its data records it (the timeline's order).
EVENT_DATES = {
    "returns.cost": "incurred_on",
    **{f"returns.{kind.code}": "done_on" for kind in get_profile().returns.step_kinds},
}


def case_links(*, actor: User, case: Case) -> list[dict[str, str]]:
    if not policy.can_edit_plan(actor, case):
        return []
    abroad = bool(case.identified_abroad_in) or (
        case.referral_channel in get_profile().returns.abroad_channels
    )
    if not abroad and not ReturnPlan.objects.filter(case=case).exists():
        return []
    return [{"url": reverse("returns:plan", args=[case.person.code]), "label": _("Return home")}]
