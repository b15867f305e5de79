"""The commission's rules that are computed, not stored: the deadline of a submitted
case, the quorum of a meeting and the decision its members' positions call for. Every
number comes from the country profile (profiles/<cc>/commission.yaml)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from thb.accounts.models import User
from thb.commission.models import Stance
from thb.lib.workdays import add_calendar_days, add_working_days
from thb.profiles import get_profile


def due_on(submitted_on: date) -> date:
    """The last day by which the commission considers a case submitted that day."""
    profile = get_profile()
    within = profile.commission.consider_within
    if within.unit == "working_days":
        return add_working_days(submitted_on, within.value, profile.country.code)
    return add_calendar_days(submitted_on, within.value)


@dataclass(frozen=True)
class Quorum:
    """Whether the members present may decide, and what is missing if not."""

    present: int
    required: int
    chair_required: bool
    chair_present: bool
    missing_institutions: list[str] = field(default_factory=list)  # institution codes

    @property
    def met(self) -> bool:
        return (
            self.present >= self.required
            and (self.chair_present or not self.chair_required)
            and not self.missing_institutions
        )


def quorum(present: Iterable[User], chair: User | None) -> Quorum:
    """The profile's quorum rule applied to the members present and the chair."""
    rule = get_profile().commission.quorum
    members = list(present)
    codes = {m.institution.code for m in members if m.institution is not None}
    return Quorum(
        present=len(members),
        required=rule.min_present,
        chair_required=rule.chair_required,
        chair_present=chair is not None and any(m.pk == chair.pk for m in members),
        missing_institutions=[c for c in rule.required_institutions if c not in codes],
    )


def called_for(stances: Iterable[tuple[int, str]], chair_id: int | None) -> bool | None:
    """The decision the members' positions call for: recognised when more members
    recognise than not, not recognised when fewer; on a tie the chair's position
    decides. None when no member took a side (only abstentions, or a tie the chair
    abstained on or did not vote in). `stances` are (member id, stance code)."""
    counts: Counter[str] = Counter()
    chair_stance = ""
    for member_id, stance in stances:
        counts[stance] += 1
        if member_id == chair_id:
            chair_stance = stance
    yes, no = counts[Stance.RECOGNISE], counts[Stance.NOT_RECOGNISE]
    if yes != no:
        return yes > no
    if yes and chair_stance in (Stance.RECOGNISE, Stance.NOT_RECOGNISE):
        return chair_stance == Stance.RECOGNISE
    return None
