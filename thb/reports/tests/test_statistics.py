"""The statistics pages: the coordinator's internal edition and the public one."""

from datetime import date

import pytest
from django.urls import reverse

from thb.victims.models import DecisionKind
from thb.victims.services import decision_record
from thb.victims.tests.factories import make_case


@pytest.fixture
def recognised_cases(owner):
    cases = []
    for _index in range(4):
        case = make_case(owner, sex="male", citizenship="TJ", forms=(("labour", "construction"),))
        cases.append(case)
    cases.append(make_case(owner, sex="female", citizenship="LV"))
    for case in cases:
        decision_record(
            actor=owner,
            case=case,
            kind=DecisionKind.COMMISSION,
            decided_on=date(2020, 6, 1),
            recognised=True,
            criteria_met=["purpose_exploitation"],
            members="Chair",
        )
    return cases


def test_the_coordinator_sees_the_years_figures(client_for, coordinator, recognised_cases):
    response = client_for(coordinator).get(reverse("reports:statistics"), {"year": 2020})
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-figure="victims.identified">5<' in text
    assert 'data-figure="victims.citizenship.men.TJ">4<' in text
    assert recognised_cases[0].person.code not in text  # no identities, no codes


def test_caseworkers_and_outsiders_cannot_open_the_internal_edition(client_for, owner, outsider):
    for user in (owner, outsider):
        assert client_for(user).get(reverse("reports:statistics")).status_code == 403


def test_the_public_edition_suppresses_small_cells(client, recognised_cases):
    response = client.get(reverse("reports:public_statistics"), {"year": 2020})
    assert response.status_code == 200
    tables = {t.title: t for t in response.context["tables"]}
    headline = tables["Victims"] if "Victims" in tables else response.context["tables"][0]
    values = {row.label: row.values[0] for row in headline.rows}
    assert 5 in values.values()  # identified: 5, above the threshold
    # One woman: hidden; and the smallest other cell of the column hides with it.
    by_citizenship = response.context["tables"][1]
    all_values = [v for row in by_citizenship.rows for v in row.values]
    assert 1 not in all_values
    assert None in all_values
    assert "data-figure" not in response.content.decode()


def test_the_figures_api_is_for_the_coordinator(client_for, coordinator, owner, recognised_cases):
    url = "/api/v1/reports/figures/2020"
    response = client_for(coordinator).get(url, {"prefix": "victims."})
    assert response.status_code == 200
    assert response.json()["figures"]["victims.identified"] == 5
    assert client_for(owner).get(url).status_code == 403


def test_a_sector_named_by_its_report_code_gets_its_label():
    from thb.reports.selectors import _label

    assert _label("labour_sectors", "food_production", "en") == "food industry"
    assert _label("labour_sectors", "construction", "lv") == "būvniecība"
