"""The computed rules: the deadline, the quorum and the decision the positions call for."""

from __future__ import annotations

from datetime import date

import pytest

from thb.accounts.models import Institution, Role
from thb.commission import rules


def test_a_submission_is_due_the_profiles_days_later() -> None:
    # commission.yaml: 30 calendar days.
    assert rules.due_on(date(2020, 3, 10)) == date(2020, 4, 9)


@pytest.mark.django_db
def test_the_quorum_needs_three_members_the_chair_and_the_police(
    make_user, provider: Institution, police: Institution
) -> None:
    a = make_user("a", Role.COMMISSION_MEMBER, provider)
    b = make_user("b", Role.COMMISSION_MEMBER, provider)
    c = make_user("c", Role.COMMISSION_MEMBER, provider)
    p = make_user("p", Role.COMMISSION_MEMBER, police)
    met = rules.quorum([a, b, p], a)
    assert met.met and met.present == 3 and met.required == 3
    assert not rules.quorum([a, p], a).met  # two present
    no_chair = rules.quorum([a, b, p], c)
    assert not no_chair.met and not no_chair.chair_present
    no_police = rules.quorum([a, b, c], a)
    assert not no_police.met and no_police.missing_institutions == ["vp"]


def test_the_decision_follows_the_majority_and_the_chair_breaks_a_tie() -> None:
    assert rules.called_for([(1, "recognise"), (2, "recognise"), (3, "not_recognise")], 1) is True
    assert rules.called_for([(1, "abstain"), (2, "not_recognise")], 1) is False
    assert rules.called_for([(1, "recognise"), (2, "not_recognise")], 2) is False
    assert rules.called_for([(1, "recognise"), (2, "not_recognise")], 1) is True
    assert rules.called_for([(1, "recognise"), (2, "not_recognise"), (3, "abstain")], 3) is None
    assert rules.called_for([(1, "abstain")], 1) is None
    assert rules.called_for([], None) is None
