"""End to end through the pages: the owning caseworker opens a return plan for a
victim identified abroad, records its steps and a cost; the cost appears in the
provider's spending on returns (the funding page), the steps on the case timeline,
and the completed return in the report's figures by country."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from thb.core.registry import registry
from thb.profiles import get_profile
from thb.returns.models import ReturnPlan
from thb.returns.services import PlanInput, plan_check
from thb.support.models import OtherEligibleCost


def _figures(year: int) -> dict[str, float]:
    profile = get_profile()
    wanted = [f for f in profile.figures if f.measure == "returns.organised"]
    return dict(registry.measure("returns.organised").compute(year, wanted))


@pytest.mark.django_db
def test_a_caseworker_brings_a_victim_home_and_the_figures_count_it(
    client_for, owner, abroad_case, consular, provider
):
    client = client_for(owner, language="en")
    code = abroad_case.person.code
    assert _figures(2020)["returns.organised"] == 0

    # The case page offers the return; the plan page offers to open one.
    detail = client.get(f"/cases/{code}/").content.decode()
    assert f"/returns/{code}/" in detail
    assert "Identified abroad in" in detail
    page = client.get(f"/returns/{code}/")
    assert page.status_code == 200 and "Open a return plan" in page.content.decode()

    # The country is taken from the case.
    form = client.get(f"/returns/{code}/edit/").content.decode()
    assert '<option value="GB" selected>' in form
    response = client.post(
        f"/returns/{code}/edit/", {"from_country": "GB", "partner": "Embassy of Latvia in London"}
    )
    assert response.status_code == 302
    plan = ReturnPlan.objects.get(case=abroad_case)

    steps = {
        "contact": (consular, "2020-06-01", "2020-06-01"),
        "documents": (consular, "2020-06-03", "2020-06-04"),
        "travel": (provider, "2020-06-08", "2020-06-08"),
        "reception": (provider, "2020-06-08", "2020-06-08"),
    }
    for kind, (institution, planned, done) in steps.items():
        response = client.post(
            f"/returns/{code}/steps/{kind}/",
            {"responsible_institution": institution.pk, "planned_on": planned, "done_on": done},
        )
        assert response.status_code == 302, response.content.decode()
    plan.refresh_from_db()
    assert plan.returned_on == date(2020, 6, 8)

    travel = plan.steps.get(kind="travel")
    response = client.post(
        f"/returns/{code}/costs/new/",
        {"incurred_on": "2020-06-08", "amount_eur": "385.50", "step": travel.pk},
    )
    assert response.status_code == 302, response.content.decode()

    # The cost is the provider's other eligible cost in the return category.
    cost = OtherEligibleCost.objects.get()
    assert (cost.provider, cost.category, cost.amount_eur) == (
        provider,
        get_profile().returns.cost_category,
        Decimal("385.50"),
    )
    funding = client.get("/support/funding/?year=2020").content.decode()
    assert "preparing return from abroad" in funding
    assert "385.50" in funding

    # The plan page shows the steps and the cost; the timeline the steps done.
    shown = client.get(f"/returns/{code}/").content.decode()
    assert "Embassy of Latvia in London" in shown
    assert 'datetime="2020-06-08"' in shown
    assert "385.50" in shown
    timeline = client.get(f"/cases/{code}/").content.decode()
    assert "Return: reception in Latvia" in timeline
    assert "Return: identity documents restored" in timeline

    figures = _figures(2020)
    assert figures["returns.organised"] == 1
    assert figures["returns.organised.GB"] == 1
    assert figures["returns.organised.other_countries"] == 0
    assert _figures(2021)["returns.organised"] == 0


@pytest.mark.django_db
def test_the_forms_report_every_error_in_one_round(client_for, owner, abroad_case, police):
    client = client_for(owner, language="en")
    code = abroad_case.person.code
    # The home country is not offered; the service refuses it too (the API, the demo).
    response = client.post(f"/returns/{code}/edit/", {"from_country": "LV"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    with pytest.raises(ValidationError) as refused:
        plan_check(PlanInput(from_country="LV", partner="x" * 1000))
    assert set(refused.value.message_dict) == {"from_country", "partner"}
    client.post(f"/returns/{code}/edit/", {"from_country": "GB"})

    # The police cannot answer for the reception; no day given; a text too long.
    response = client.post(
        f"/returns/{code}/steps/reception/",
        {"responsible_institution": police.pk, "partner": "x" * 1000},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Select a valid choice" in body  # the police are not among the choices
    assert "Give the day planned or the day it was done." in body
    assert not ReturnPlan.objects.get(case=abroad_case).steps.exists()

    response = client.post(f"/returns/{code}/costs/new/", {"incurred_on": "2020-06-01"})
    assert response.status_code == 400
    assert not OtherEligibleCost.objects.exists()
    assert client.get(f"/returns/{code}/steps/no_such_step/").status_code == 404
