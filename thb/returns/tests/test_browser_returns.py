"""End to end in Debian Chromium (Latvian interface): the owning caseworker opens the
return plan of a victim identified abroad from the case page, records the reception
in Latvia and a cost; the consular service's user finds its step by case code and not
the person's name."""

import re

import pytest

from thb.conftest import login
from thb.returns.services import StepInput, step_save


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_caseworker_records_the_return_and_the_consul_sees_its_step(
    page, owner, consul, consular, provider, abroad_case
):
    code = abroad_case.person.code
    login(page, "owner")
    page.goto(f"/cases/{code}/")
    page.click(f"a[href='/returns/{code}/']")
    page.click(f"a[href='/returns/{code}/edit/']")
    assert page.input_value("#id_from_country") == "GB"
    page.fill("#id_partner", "Latvijas vēstniecība Londonā")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(rf"/returns/{code}/$"))

    page.click(f"a[href='/returns/{code}/steps/reception/']")
    page.select_option("#id_responsible_institution", str(provider.pk))
    page.fill("#id_done_on", "2020-06-08")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(rf"/returns/{code}/$"))
    row = page.locator("tr[data-step=reception]")
    assert row.locator('time[datetime="2020-06-08"]').count() == 1

    page.click(f"a[href='/returns/{code}/costs/new/']")
    page.fill("#id_incurred_on", "2020-06-08")
    page.fill("#id_amount_eur", "120.00")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(rf"/returns/{code}/$"))
    assert "120" in page.locator("#return-costs").inner_text()

    plan = abroad_case.return_plan
    step_save(
        actor=owner,
        plan=plan,
        data=StepInput(
            kind="documents", responsible_institution=consular, done_on=plan.returned_on
        ),
    )
    page.context.clear_cookies()
    login(page, "konsuls")
    page.click("a[href='/returns/steps/']")
    listed = page.locator("#partner-steps").inner_text()
    assert code in listed and "Zelma" not in listed
