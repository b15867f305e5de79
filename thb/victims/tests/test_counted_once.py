"""`counted_once`: of each group of cases linked as one person, the statistics count
one decided case (a recognised one before a not recognised one, then the earliest
decision, then the lowest id), whatever the year asked for. Checked against the rule
written out in Python over groups of every mix."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from thb.victims.figures import STATUSES, counted_once
from thb.victims.models import Case, CaseStatus
from thb.victims.tests.factories import make_case

pytestmark = pytest.mark.django_db

R, N, P = CaseStatus.RECOGNISED, CaseStatus.NOT_RECOGNISED, CaseStatus.POTENTIAL


def _expected(cases: list[Case]) -> set[int]:
    """The rule in Python: unlinked decided cases, and of each linked group its first
    decided case by (not recognised, decided on, id)."""
    decided = [c for c in cases if c.status in (R, N)]
    kept = {c.pk for c in decided if c.linked_group is None}
    groups: dict[int, list[Case]] = {}
    for case in decided:
        if case.linked_group is not None:
            groups.setdefault(case.linked_group, []).append(case)
    for members in groups.values():
        first = min(members, key=lambda c: (c.status != R, c.decided_on, c.pk))
        kept.add(first.pk)
    return kept


def test_one_case_of_each_linked_group_is_counted(owner):
    # Groups of two and three cases with every mix of status and decision day (ties
    # included), and unlinked cases of each status.
    days = [date(2019, 5, 1), date(2020, 2, 1), date(2020, 2, 1)]
    mixes = [*itertools.product([R, N, P], repeat=2), (N, R, N), (R, R, N), (N, N, P)]
    for group, mix in enumerate([*[(s,) for s in (R, N, P)], *mixes], start=1):
        linked = len(mix) > 1
        for index, status in enumerate(mix):
            case = make_case(owner)
            decided = days[(group + index) % 3] if status != P else None
            # The decision's own rules are the decision service's (tested there); here
            # only the columns the rule reads.
            Case.objects.filter(pk=case.pk).update(
                status=status,
                decided_on=decided,
                linked_group=(10_000 + group) if linked else None,
            )
    cases = list(Case.objects.order_by("pk"))
    assessed = Case.objects.filter(status__in=STATUSES["assessed"])
    assert set(counted_once(assessed).values_list("pk", flat=True)) == _expected(cases)
    # A year's cases: a group's counted case is the same whatever the year asked for.
    in_2020 = assessed.filter(decided_on__year=2020)
    expected_2020 = {
        c.pk
        for c in cases
        if c.pk in _expected(cases) and c.decided_on and c.decided_on.year == 2020
    }
    assert set(counted_once(in_2020).values_list("pk", flat=True)) == expected_2020


def test_the_trends_count_a_linked_person_once(owner):
    """victims.trends counts cases "one case a person", as victims.cases: of two
    recognised cases linked as one person, with a vulnerability factor each, one."""
    from thb.reports.catalogue import compute_figures
    from thb.victims.models import CaseVulnerability

    for group in (7, 7, None):
        case = make_case(owner)
        Case.objects.filter(pk=case.pk).update(
            status=R, decided_on=date(2020, 3, 1), linked_group=group
        )
        CaseVulnerability.objects.create(case=case, factor="unemployment")
    figures = compute_figures(
        2020, ["victims.trends.any_factor", "victims.trends.factor.unemployment"]
    )
    assert figures == {
        "victims.trends.any_factor": 2,
        "victims.trends.factor.unemployment": 2,
    }
