"""The statistics pages: the coordinator's internal edition and the public one."""

from collections.abc import Sequence
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


def _hidden(values: Sequence[object]) -> int:
    return sum(value is None for value in values)


def test_a_hidden_cell_cannot_be_worked_out_from_its_rows_published_total(monkeypatch):
    """By citizenship: men, women, minors and the row's total. Hiding 2 minors in the
    column alone would leave them as total − men − women."""
    from thb.reports import selectors

    figures = {
        "victims.identified": 47,
        "victims.identified.men": 15,
        "victims.identified.women": 24,
        "victims.identified.minors": 8,
        "victims.citizenship.LV": 32,
        "victims.citizenship.men.LV": 10,
        "victims.citizenship.women.LV": 20,
        "victims.citizenship.minors.LV": 2,
        "victims.citizenship.UZ": 15,
        "victims.citizenship.men.UZ": 5,
        "victims.citizenship.women.UZ": 4,
        "victims.citizenship.minors.UZ": 6,
    }
    monkeypatch.setattr(
        selectors,
        "report_figures",
        lambda year, prefix="": {k: v for k, v in figures.items() if k.startswith(prefix)},
    )
    from django.utils import translation

    with translation.override("en"):
        tables = selectors.public_tables(2020, "en")
    by_citizenship = next(t for t in tables if t.title == "By citizenship")
    for row in by_citizenship.rows:
        assert _hidden(row.values) != 1, (row.label, row.values)
    for column in range(len(by_citizenship.columns)):
        assert _hidden([row.values[column] for row in by_citizenship.rows]) != 1
