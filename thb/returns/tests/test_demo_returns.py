"""The 2020 demo: the two victims identified abroad are brought home (Serbia, Brazil),
their costs are the provider's return costs, and the figures count the returns."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Sum

from thb.core.registry import registry
from thb.profiles import get_profile
from thb.returns.models import ReturnPlan
from thb.support.models import OtherEligibleCost


@pytest.mark.django_db
def test_the_demo_brings_two_victims_home_in_2020(demo: None) -> None:
    plans = ReturnPlan.objects.select_related("case")
    assert sorted(str(p.from_country) for p in plans) == ["BR", "RS"]
    assert all(p.returned_on and p.returned_on.year == 2020 for p in plans)
    assert {p.case.referral_channel for p in plans} == set(get_profile().returns.abroad_channels)
    figures = [f for f in get_profile().figures if f.measure == "returns.organised"]
    values = registry.measure("returns.organised").compute(2020, figures)
    assert values["returns.organised"] == 2
    assert values["returns.organised.RS"] == values["returns.organised.BR"] == 1
    assert values["returns.organised.other_countries"] == 0
    spent = OtherEligibleCost.objects.filter(
        category=get_profile().returns.cost_category, incurred_on__year=2020
    ).aggregate(total=Sum("amount_eur"))["total"]
    assert spent == Decimal("1380.00")
