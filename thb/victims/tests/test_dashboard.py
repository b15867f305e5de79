"""The caseworker's dashboard: the institution's cases by stage, from the register's
selector, each stage linking to the case list filtered to it; never another
institution's cases; other roles get no such section."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from thb.core.charts import Value
from thb.victims.dashboard import sections
from thb.victims.models import DecisionKind
from thb.victims.services import case_route, decision_record
from thb.victims.tests.factories import make_case

pytestmark = pytest.mark.django_db


def _known_cases(owner, colleague):
    """At the owner's: 2 awaiting routing, 1 before the commission, 1 recognised, 1 not;
    at the colleague's institution: 3 more, which the owner must never count."""
    make_case(owner)
    make_case(owner)
    before = make_case(owner)
    case_route(
        actor=owner,
        case=before,
        submitted_to_commission_on=date(2020, 3, 5),
        proceeding_institution=None,
        proceeding_reference="",
    )
    for recognised in (True, False):
        decision_record(
            actor=owner,
            case=make_case(owner),
            kind=DecisionKind.COMMISSION,
            decided_on=date(2020, 3, 20),
            recognised=recognised,
            criteria_met=["act_recruitment_transport", "means_deception", "purpose_exploitation"]
            if recognised
            else [],
            members="A\nB\nC",
            reasons="" if recognised else "Not met.",
        )
    for _ in range(3):
        make_case(colleague)


def _values(section) -> dict[str, Value]:
    return {bar.label: bar.value for bar in section.bar_chart().bars}


def test_the_caseworker_sees_the_institutions_cases_by_stage(owner, colleague):
    _known_cases(owner, colleague)
    (section,) = sections(actor=owner, today=timezone.localdate())
    assert list(_values(section).values()) == [2, 1, 1, 1]
    assert "3" in section.note  # open: awaiting routing and awaiting a decision
    (colleague_section,) = sections(actor=colleague, today=timezone.localdate())
    assert list(_values(colleague_section).values()) == [3, 0, 0, 0]


def test_each_stage_links_to_the_filtered_case_list(owner, colleague, client_for):
    _known_cases(owner, colleague)
    (section,) = sections(actor=owner, today=timezone.localdate())
    recognised = section.bar_chart().bars[2]
    assert recognised.url == reverse("victims:case_list") + "?status=recognised"
    page = client_for(owner).get(recognised.url)
    assert page.status_code == 200
    assert page.context["total"].count == 1


def test_the_home_page_shows_the_chart_with_its_table(owner, colleague, client_for):
    _known_cases(owner, colleague)
    html = client_for(owner, language="en").get(reverse("core:home")).content.decode()
    assert "Your institution's cases by stage" in html or "Your institution&#x27;s" in html
    assert '<figure class="chart"' in html and "<figcaption" in html
    assert "Figures as a table" in html
    assert 'href="/static/thb/charts.css"' in html or "charts.css" in html


def test_other_roles_get_no_case_section(coordinator, outsider):
    assert sections(actor=coordinator, today=timezone.localdate()) == []
    assert sections(actor=outsider, today=timezone.localdate()) == []
