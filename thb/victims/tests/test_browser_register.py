"""End to end in Debian Chromium: a caseworker records an intake and a commission
decision and finds the case in the list; the coordinator sees the year's figures and
cannot open the case."""

import re

import pytest

from thb.accounts.models import Role
from thb.conftest import login


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_intake_decision_list_and_coordinator_boundary(page, make_user, provider, ministry):
    make_user("caseworker", Role.CASEWORKER, provider)
    make_user("coordinator", Role.COORDINATOR, ministry)

    login(page, "caseworker")
    page.goto("/cases/new/")
    page.fill("#id_intake_date", "2020-05-04")
    page.select_option("#id_referral_channel", "state_police")
    page.fill("#id_given_names", "Browsera")
    page.fill("#id_surname", "Testētāja")
    page.select_option("#id_sex", "female")
    page.select_option("#id_citizenship", "LV")
    page.fill("#id_age_at_identification", "27")
    page.select_option("#id_education", "unknown")
    page.check("input[name=exploitation_forms][value=sexual]")
    page.select_option("#id_recruitment_method", "internet")
    page.select_option("#id_place_1_country", "LV")
    page.select_option("#id_place_1_region", "latgale")
    page.click("main button[type=submit]")
    # Check your answers: nothing saved yet; confirm records the intake.
    assert "Testētāja" in page.locator("dl.summary-list").first.inner_text() + page.content()
    page.click("main button[value=confirm]")
    page.wait_for_url(re.compile(r"/cases/CTU-2020-[A-Z0-9]{5}/$"))
    code = page.url.rstrip("/").rsplit("/", 1)[1]
    assert "Testētāja" in page.content()

    # The commission's decision, recorded through its form.
    page.click(f"a[href='/cases/{code}/decision/']")
    page.select_option("#id_kind", "commission")
    page.fill("#id_decided_on", "2020-05-20")
    page.check("input[name=recognised][value=yes]")
    page.check("input[name=criteria_met][value=purpose_exploitation]")
    page.check("input[name=criteria_met][value=means_deception]")
    # First without members: refused, with the message at the field.
    page.click("main button[type=submit]")
    assert page.locator("#id_members_error").is_visible()
    page.fill("#id_members", "Chair\nPsychologist\nLawyer")
    page.click("main button[type=submit]")
    page.click("main button[value=confirm]")
    page.wait_for_url(re.compile(rf"/cases/{code}/$"))
    assert page.locator(".status-recognised").first.is_visible()

    # The case is in the list, found by the year's filter.
    page.goto("/cases/?year=2020&status=recognised")
    assert page.locator(f"a[href='/cases/{code}/']").is_visible()
    page.context.clear_cookies()

    login(page, "coordinator")
    page.goto("/reports/statistics/?year=2020")
    assert page.locator("td[data-figure='victims.identified']").first.inner_text() == "1"
    assert page.locator("td[data-figure='victims.identified.women']").first.inner_text() == "1"
    assert page.locator("td[data-figure='victims.place.LV.latgale']").first.inner_text() == "1"
    response = page.goto(f"/cases/{code}/")
    assert response is not None and response.status in (403, 404)
    assert "Testētāja" not in page.content()
