"""End to end in Debian Chromium: a caseworker records an intake with a screening,
ticking indicators through their labels; the case page explains the result; the
commission member, once the case is put before the commission, sees the result but
not the notes."""

import re

import pytest

from thb.accounts.models import Role
from thb.conftest import login


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_intake_with_screening_and_the_commissions_view(page, make_user, provider):
    make_user("caseworker", Role.CASEWORKER, provider)
    make_user("member", Role.COMMISSION_MEMBER, provider)

    login(page, "caseworker")
    page.goto("/cases/new/")
    page.fill("#id_intake_date", "2020-05-04")
    page.select_option("#id_referral_channel", "state_police")
    page.fill("#id_surname", "Skrīninga")
    page.select_option("#id_sex", "female")
    page.fill("#id_age_at_identification", "29")
    page.select_option("#id_education", "unknown")
    page.check("input[name=exploitation_forms][value=sexual]")
    page.select_option("#id_recruitment_method", "internet")

    page.select_option("#id_screening-list_key", "adult_sexual")
    page.click("details[data-list=adult_sexual] summary")
    for code in (
        "dr.nature_of_job_location_or_employer",
        "dr.conditions_of_prostitution",
        "ex.excessive_working_days_or_hours",
        "ex.low_or_no_salary",
        "cd.confiscation_of_documents",
        "cd.forced_tasks_or_clients",
    ):
        dimension = code.split(".")[0]
        box = f"id_screening-adult_sexual-dim_{dimension}_{code.replace('.', '_')}"
        page.click(f"label[for='{box}']")  # the label ticks its checkbox
        assert page.is_checked(f"#{box}")
    page.fill("#id_screening-notes", "Slepena piezīme: pase pie “šefa”.")
    page.click("main button[type=submit]")
    page.click("main button[value=confirm]")
    page.wait_for_url(re.compile(r"/cases/CTU-2020-[A-Z0-9]{5}/$"))
    code = page.url.rstrip("/").rsplit("/", 1)[1]
    result = page.locator(".screening-result").first.inner_text()
    assert "maldinoša vervēšana: pozitīva (1 spēcīga + 1 vidēja)" in result
    assert "piespiešana galamērķī: pozitīva (2 spēcīgas)" in result
    assert "pazīmes ir pietiekamas" in result
    assert "Slepena piezīme" in result

    # Put before the commission.
    page.goto(f"/cases/{code}/routing/")
    page.fill("#id_route-submitted_to_commission_on", "2020-05-10")
    page.click("button[name=route]")
    page.wait_for_url(re.compile(rf"/cases/{code}/$"))
    page.context.clear_cookies()

    login(page, "member")
    page.goto(f"/cases/{code}/")
    result = page.locator(".screening-result").first.inner_text()
    assert "pazīmes ir pietiekamas" in result
    assert "Slepena piezīme" not in page.content()
    assert "Skrīninga" not in page.content()  # no identity for the commission
