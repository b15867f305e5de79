"""Criminal proceedings on the home page: a process director's proceedings by their
latest stage, each linking to the list of those proceedings."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thb.accounts.models import Role, User
from thb.core.charts import Bar, BarChart, Section
from thb.justice.models import StageKind
from thb.justice.selectors import INVESTIGATION, proceeding_stage_counts

STAGE_ORDER = [INVESTIGATION, *StageKind.values]


def stage_label(stage: str) -> str:
    if stage == INVESTIGATION:
        return str(gettext_lazy("under investigation (no stage recorded yet)"))
    return str(dict(StageKind.choices).get(stage, ""))


def sections(*, actor: User, today: date) -> list[Section]:
    if actor.role != Role.PROCESS_DIRECTOR:
        return []
    counts = proceeding_stage_counts(actor=actor)
    proceedings = reverse("justice:proceeding_list")
    bars = [
        Bar(
            stage_label(stage),
            counts.get(stage, 0),
            url=f"{proceedings}?{urlencode({'stage': stage})}",
        )
        for stage in STAGE_ORDER
        if counts.get(stage) or stage == INVESTIGATION
    ]
    return [
        Section(
            key="proceedings",
            title=_("Criminal proceedings by stage"),
            note=_("Each proceeding counts at its latest stage."),
            charts=[
                BarChart(
                    "proceedings-by-stage",
                    _("Proceedings by latest stage"),
                    _("Proceedings"),
                    bars,
                    label_header=_("Stage"),
                )
            ],
            links=[(proceedings, _("All proceedings"))],
        )
    ]
