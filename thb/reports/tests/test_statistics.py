"""The statistics pages are views of the one renderer: the coordinator's internal
edition by topic, and the public edition for anyone."""

from datetime import date

import pytest
from django.urls import reverse

from thb.accounts.models import Role
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
    assert 'data-figure="victims.identified">' in text
    document = response.context["document"]
    assert document.figures["victims.identified"] == 5
    overview = next(t for t in document.tables if t.id == "victims_overview")
    values = {cell.figure: cell.value for cell in overview.rows[0].cells if cell.year == 2020}
    assert values["victims.identified.men"] == 4
    assert values["victims.identified.women"] == 1
    assert values["victims.identified.minors"] == 0
    assert values["victims.identified"] == 5
    # Only the chapters of the victims topic, from the layout.
    assert {c.id for c in document.chapters} == {"victims"}
    assert recognised_cases[0].person.code not in text  # no identities, no codes


@pytest.mark.parametrize("topic", ["victims", "support", "justice", "activities"])
def test_every_topic_shows_the_chapters_that_name_it(client_for, coordinator, topic):
    from thb.profiles import get_profile

    response = client_for(coordinator).get(
        reverse("reports:topic_statistics", args=[topic]), {"year": 2020}
    )
    assert response.status_code == 200
    profile = get_profile()
    expected = [c for c in profile.report.chapters if topic in profile.chapter(c).topics]
    assert [c.id for c in response.context["document"].chapters] == expected
    assert expected


def test_an_administrator_sees_the_statistics(client_for, make_user, ministry):
    admin = make_user("admin", Role.ADMINISTRATOR, ministry)
    assert client_for(admin).get(reverse("reports:statistics")).status_code == 200


def test_caseworkers_and_outsiders_cannot_open_the_internal_edition(client_for, owner, outsider):
    for user in (owner, outsider):
        for topic in ("victims", "justice", "activities"):
            url = reverse("reports:topic_statistics", args=[topic])
            assert client_for(user).get(url).status_code == 403


def test_an_unknown_topic_is_not_found(client_for, coordinator):
    url = reverse("reports:topic_statistics", args=["weather"])
    assert client_for(coordinator).get(url).status_code == 404


def test_the_old_justice_and_activity_statistics_addresses_still_work(client_for, coordinator):
    client = client_for(coordinator)
    for old, topic in (("justice:statistics", "justice"), ("activities:statistics", "activities")):
        response = client.get(reverse(old), {"year": 2020})
        assert response.status_code == 302
        assert response["Location"] == f"/reports/statistics/{topic}/?year=2020"
        assert client.get(response["Location"]).status_code == 200


def test_the_public_edition_suppresses_small_counts(client, recognised_cases):
    response = client.get(reverse("reports:public_statistics"), {"year": 2020})
    assert response.status_code == 200
    document = response.context["document"]
    assert document.edition == "public"
    # Every chapter, not the victims only.
    assert len(document.chapters) > 1
    overview = next(t for t in document.tables if t.id == "victims_overview")
    cells = {cell.figure: cell for cell in overview.rows[0].cells if cell.year == 2020}
    women, total = cells["victims.identified.women"], cells["victims.identified"]
    men = cells["victims.identified.men"]
    assert women.value is None and women.flag  # one woman: never published
    # Men 4 and total 5 published together would give her away: one of them is hidden.
    assert men.flag or total.flag
    assert 1 not in [cell.value for cell in overview.rows[0].cells]
    text = response.content.decode()
    assert "data-figure" not in text
    # The public files are offered in every format.
    assert reverse("reports:public_download") in text


def test_the_figures_api_is_for_the_coordinator(client_for, coordinator, owner, recognised_cases):
    url = "/api/v1/reports/figures/2020"
    response = client_for(coordinator).get(url, {"prefix": "victims."})
    assert response.status_code == 200
    assert response.json()["figures"]["victims.identified"] == 5
    assert client_for(owner).get(url).status_code == 403
