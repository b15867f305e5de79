"""The form pattern in Chromium (issue 10, part 1): an intake with five independent
errors shows all five at once, in an error summary that has the focus when the page
loads, each of its links moving the focus to its field; the title says "Kļūda: "."""

import re

import pytest

from thb.accounts.models import Role
from thb.conftest import login
from thb.victims.models import Person


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_intake_with_five_errors_shows_all_five_in_the_summary(page, make_user, provider):
    make_user("caseworker", Role.CASEWORKER, provider)
    login(page, "caseworker")
    page.goto("/cases/new/")
    # Nothing preselected that the user must decide.
    assert page.input_value("#id_sex") == ""
    # Five independent errors: the channel and the sex not chosen, an e-mail that does
    # not parse (the form's checks), an intake date in the future and an exploitation
    # that ends before it starts (the service's rules).
    page.fill("#id_intake_date", "2999-01-01")
    page.fill("#id_surname", "Kļūdaine")
    page.fill("#id_email", "not-an-address")
    page.select_option("#id_education", "unknown")
    page.select_option("#id_recruitment_method", "internet")
    page.fill("#id_exploitation_start", "2020-05-01")
    page.fill("#id_exploitation_end", "2020-01-01")
    page.click("main button[type=submit]")

    summary = page.locator("[data-error-summary]")
    assert summary.is_visible()
    assert summary.get_attribute("role") == "alert"
    assert "Radusies problēma" in summary.inner_text()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert page.title().startswith("Kļūda: ")
    links = summary.locator("a")
    targets = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert targets == [
        "#id_intake_date",
        "#id_referral_channel",
        "#id_email",
        "#id_sex",
        "#id_exploitation_end",
    ]
    for i, target in enumerate(targets):
        links.nth(i).click()
        assert page.evaluate("document.activeElement.id") == target.lstrip("#")
        # The field's own message is beside it, tied by aria-describedby.
        field = page.locator(target)
        assert f"{target.lstrip('#')}_error" in (field.get_attribute("aria-describedby") or "")
        assert page.locator(f"{target}_error").is_visible()
    assert Person.objects.count() == 0

    # Fixed in one go, the intake goes to check your answers, and is recorded on confirm.
    page.fill("#id_intake_date", "2020-05-04")
    page.select_option("#id_referral_channel", "state_police")
    page.fill("#id_email", "")
    page.select_option("#id_sex", "unknown")
    page.fill("#id_exploitation_end", "2020-06-01")
    page.click("main button[type=submit]")
    assert page.locator("[data-error-summary]").count() == 0
    assert "Kļūdaine" in page.locator("main").inner_text()
    assert Person.objects.count() == 0
    page.click("main button[value=confirm]")
    page.wait_for_url(re.compile(r"/cases/CTU-2020-[A-Z0-9]{5}/$"))
    assert Person.objects.count() == 1
