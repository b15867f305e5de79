"""Acceptance, end to end in Debian Chromium (issue 9, part 1): a police officer refers
a presumed victim with a screening; Centrs MARTA's caseworker accepts it and the intake
is filled in from the referral; the commission member sees the screening on the case;
an adult who does not consent is notified anonymously and counted in the statistics."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from thb.accounts.models import Role
from thb.conftest import login
from thb.referrals.models import Referral
from thb.victims.models import Case

LABOUR_INDICATORS = {
    "dr": ["dr.nature_of_job_location_or_employer", "dr.wages_earnings"],
    "ex": ["ex.excessive_working_days_or_hours", "ex.low_or_no_salary"],
    "cd": ["cd.confiscation_of_documents", "cd.debt_bondage"],
}


def _logout(page):
    page.context.clear_cookies()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_police_refers_marta_accepts_commission_sees_screening_and_anonymous_counted(
    page, make_user, provider, police, ministry
):
    make_user("policija", Role.PROCESS_DIRECTOR, police)
    make_user("marta", Role.CASEWORKER, provider)
    make_user("komisija", Role.COMMISSION_MEMBER, provider)
    make_user("koordinators", Role.COORDINATOR, ministry)
    today = timezone.localdate()
    born = today.replace(year=today.year - 28, month=3, day=14)

    # 1. The police officer refers the person to Centrs MARTA, with the screening.
    login(page, "policija")
    page.goto("/")
    page.click("a[href='/referrals/']")
    page.click("a[href='/referrals/new/']")
    page.select_option("#id_provider", label="Centrs MARTA")
    page.select_option("#id_urgency", "urgent")
    page.check("input[name=consent][value=given]")
    page.fill("#id_given_names", "Olena")
    page.fill("#id_surname", "Testa-Kovaļova")
    page.fill("#id_date_of_birth", born.isoformat())
    page.select_option("#id_sex", "female")
    page.select_option("#id_citizenship", "UA")
    page.check("input[name=suspected_forms][value=labour]")
    page.select_option("#id_language", "uk")
    page.check("#id_interpreter_needed")
    page.select_option("#id_contact_arrangement", "via_officer")
    page.fill("#id_phone", "+380 50 000 0000")
    page.select_option("#id_screening-list_key", "adult_labour")
    page.eval_on_selector_all(
        "details.screening-list", "lists => lists.forEach(d => d.open = true)"
    )
    for codes in LABOUR_INDICATORS.values():
        for code in codes:
            page.check(f"input[name^='screening-adult_labour-dim_'][value='{code}']")
    page.click("main form.stacked button[type=submit]")
    page.wait_for_url(re.compile(r"/referrals/NOS-\d{4}-[A-Z0-9]{5}/$"))
    reference = page.url.rstrip("/").rsplit("/", 1)[1]
    assert page.locator(".screening-result").is_visible()
    _logout(page)

    # 2. MARTA's caseworker finds it among the incoming referrals and accepts it.
    login(page, "marta")
    page.goto("/referrals/")
    page.click(f"a[href='/referrals/{reference}/']")
    assert "Testa-Kovaļova" in page.content()
    page.click(f"a[href='/referrals/{reference}/accept/']")
    # 3. The intake is filled in from the referral: nothing is typed again.
    assert page.input_value("#id_surname") == "Testa-Kovaļova"
    assert page.input_value("#id_given_names") == "Olena"
    assert page.input_value("#id_date_of_birth") == born.isoformat()
    assert page.input_value("#id_phone") == "+380 50 000 0000"
    assert page.input_value("#id_sex") == "female"
    assert page.input_value("#id_citizenship") == "UA"
    assert page.input_value("#id_referral_channel") == "state_police"
    assert page.is_checked("input[name=exploitation_forms][value=labour]")
    assert page.locator(".screening-result").is_visible()
    # The caseworker completes what the referral could not know, and confirms.
    page.select_option("#id_education", "unknown")
    page.select_option("#id_recruitment_method", "internet")
    page.click("main form.stacked button[type=submit]")
    # Check the answers, then confirm: nothing is recorded before.
    assert page.locator("dl.summary-list").first.is_visible()
    assert Referral.objects.get(reference=reference).case is None
    page.click("button[name=step][value=confirm]")
    page.wait_for_url(re.compile(r"/cases/CTU-\d{4}-[A-Z0-9]{5}/$"))
    code = page.url.rstrip("/").rsplit("/", 1)[1]
    case = Case.objects.get(person__code=code)
    assert case.referral_channel == "state_police" and case.recruitment_method == "internet"
    assert Referral.objects.get(reference=reference).case == case
    # Put before the commission.
    page.click(f"a[href='/cases/{code}/routing/']")
    page.fill("#id_route-submitted_to_commission_on", today.isoformat())
    page.click("button[name=route]")
    page.wait_for_url(re.compile(rf"/cases/{code}/$"))
    _logout(page)

    # 4. The commission member sees the screening on the case (never the identity).
    login(page, "komisija")
    page.goto(f"/cases/{code}/")
    result = page.locator(".screening-result")
    assert result.is_visible()
    assert result.locator(".screening-conclusion").inner_text().strip()
    assert "Testa-Kovaļova" not in page.content()
    _logout(page)

    # The police see the referral's status, never the case.
    login(page, "policija")
    page.goto(f"/referrals/{reference}/")
    assert page.locator(".referral-status.status-accepted").is_visible()
    assert code not in page.content()
    response = page.goto(f"/cases/{code}/")
    assert response is not None and response.status == 404

    # 5. An adult who does not consent: an anonymous notification, counted.
    page.goto("/referrals/anonymous/")
    assert page.locator("#id_surname").count() == 0
    page.fill("#id_notified_on", today.isoformat())
    page.select_option("#id_sex", "male")
    page.select_option("#id_age_group", "25_34")
    page.select_option("#id_citizenship", "UZ")
    page.check("input[name=suspected_forms][value=labour]")
    page.click("main form.stacked button[type=submit]")
    page.wait_for_url(re.compile(r"/referrals/$"))
    _logout(page)

    login(page, "koordinators")
    page.goto(f"/reports/statistics/?year={today.year}")
    assert page.locator("td[data-figure='referrals.anonymous']").first.inner_text() == "1"
    assert (
        page.locator("td[data-figure='referrals.anonymous.men.state_police']").first.inner_text()
        == "1"
    )
    assert page.locator("td[data-figure='referrals.accepted']").first.inner_text() == "1"
