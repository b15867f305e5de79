"""The coordinator's trends on the home page: from the stored figures of the report
(computed once per change of the records, never per request), found in the catalogue
by what they count, with small counts of persons hidden."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from thb.reports import cache
from thb.reports.dashboard import sections, trend_years
from thb.reports.models import YearFigures
from thb.victims.models import DecisionKind
from thb.victims.services import decision_record
from thb.victims.tests.factories import make_case

pytestmark = pytest.mark.django_db

CRITERIA = ["act_recruitment_transport", "means_deception", "purpose_exploitation"]


def _recognised(owner, citizenship: str, form: str, count: int) -> None:
    for _ in range(count):
        case = make_case(
            owner,
            citizenship=citizenship,
            forms=((form, "construction" if form == "labour" else ""),),
        )
        decision_record(
            actor=owner,
            case=case,
            kind=DecisionKind.COMMISSION,
            decided_on=date(2020, 5, 4),
            recognised=True,
            criteria_met=CRITERIA,
            members="A\nB\nC",
        )


@pytest.fixture
def known(owner):
    """2020: 5 Latvian women (sexual exploitation), 3 Tajik and 1 Uzbek men (labour)."""
    _recognised(owner, "LV", "sexual", 5)
    _recognised(owner, "TJ", "labour", 3)
    _recognised(owner, "UZ", "labour", 1)


def _charts(coordinator):
    with translation.override("en"):
        trends, funding = sections(actor=coordinator, today=timezone.localdate())
    return {chart.key: chart for chart in trends.charts}, funding


def test_five_years_up_to_the_last_year_with_records(known):
    assert trend_years(timezone.localdate()) == [2016, 2017, 2018, 2019, 2020]


def test_the_trends_show_the_stored_figures_with_small_counts_hidden(known, coordinator):
    charts, _funding = _charts(coordinator)
    forms = {s.label: s.texts[-1] for s in charts["victims-by-form"].series}
    assert forms == {"sexual exploitation": "5", "labour exploitation": "4"}
    citizenship = {s.label: s.texts[-1] for s in charts["victims-by-citizenship"].series}
    # 1 is below the threshold; the next smallest of the year is hidden with it.
    assert citizenship == {"Latvia": "5", "Tajikistan": "c", "Uzbekistan": "<3"}
    hidden = next(s for s in charts["victims-by-citizenship"].series if s.label == "Uzbekistan")
    assert hidden.values[-1] is None  # never drawn


def test_the_figures_are_read_as_stored_not_computed_per_request(
    known, coordinator, client_for, monkeypatch
):
    _charts(coordinator)
    assert YearFigures.objects.filter(year=2020).exists()

    def refuse(year: int) -> None:
        raise AssertionError(f"the figures of {year} were computed again")

    monkeypatch.setattr(cache, "compute_figures", refuse)
    response = client_for(coordinator, language="en").get(reverse("core:home"))
    assert response.status_code == 200
    assert "Victims identified, 2016–2020" in response.content.decode()


def test_other_roles_get_no_trends(owner):
    assert sections(actor=owner, today=timezone.localdate()) == []
