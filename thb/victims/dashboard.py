"""The victim register's part of the home page: a caseworker's cases by stage."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thb.accounts.models import Role, User
from thb.core.charts import Bar, BarChart, Section
from thb.victims.models import CaseStatus
from thb.victims.selectors import CASE_STAGES, case_stage_counts

STAGE_LABELS = {
    "awaiting_routing": gettext_lazy("Potential victims not yet put before a decision"),
    "awaiting_decision": gettext_lazy(
        "Before the commission or a process director, awaiting the decision"
    ),
    "recognised": gettext_lazy("Recognised victims"),
    "not_recognised": gettext_lazy("Not recognised"),
}
# The case list's status filter that shows each stage's cases.
STAGE_STATUS = {
    "awaiting_routing": CaseStatus.POTENTIAL,
    "awaiting_decision": CaseStatus.POTENTIAL,
    "recognised": CaseStatus.RECOGNISED,
    "not_recognised": CaseStatus.NOT_RECOGNISED,
}


def sections(*, actor: User, today: date) -> list[Section]:
    if actor.role != Role.CASEWORKER:
        return []
    counts = case_stage_counts(actor=actor)
    cases = reverse("victims:case_list")
    bars = [
        Bar(
            str(STAGE_LABELS[stage]),
            counts[stage],
            url=f"{cases}?{urlencode({'status': STAGE_STATUS[stage]})}",
        )
        for stage in CASE_STAGES
    ]
    open_cases = counts["awaiting_routing"] + counts["awaiting_decision"]
    return [
        Section(
            key="cases",
            title=_("Your institution's cases by stage"),
            note=_("Open (no decision yet): %(count)s.") % {"count": open_cases},
            charts=[BarChart("cases-by-stage", _("Cases by stage"), _("Cases"), bars)],
            links=[
                (f"{cases}?status={CaseStatus.POTENTIAL}", _("Open cases")),
                (cases, _("All cases")),
            ],
        )
    ]
