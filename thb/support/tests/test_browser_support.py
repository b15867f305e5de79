"""End to end in Debian Chromium: a caseworker logs two services and sees the running
totals grow; a caseworker at another provider cannot open the plan."""

import re
from datetime import date

import pytest

from thb.accounts.models import Role
from thb.conftest import login
from thb.support import services
from thb.victims.models import Case, CaseStatus, Person


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_caseworker_logs_two_services_and_a_colleague_gets_404(
    page, make_user, provider, other_provider
):
    owner = make_user("caseworker", Role.CASEWORKER, provider)
    make_user("elsewhere", Role.CASEWORKER, other_provider)
    person = Person.objects.create(code="BRW234", sex="female", citizenship="LV")
    case = Case.objects.create(
        person=person,
        institution=provider,
        status=CaseStatus.RECOGNISED,
        intake_date=date(2020, 2, 20),
        referral_channel="self",
        decided_on=date(2020, 3, 2),
    )
    services.plan_save(
        actor=owner,
        case=case,
        data=services.PlanInput(
            starts_on=date(2020, 3, 2),
            ends_on=date(2020, 8, 28),
            services=["psychologist", "lawyer"],
        ),
    )

    login(page, "caseworker")
    page.goto("/support/plans/BRW234/services/")
    cost = page.locator("[data-total=cost]")
    assert cost.inner_text() == "0,00"  # Latvian number format
    for day, service, amount in (
        ("2020-03-10", "psychologist", "35"),
        ("2020-03-12", "lawyer", "40"),
    ):
        page.fill("#id_delivered_on", day)
        page.select_option("#id_service", service)
        page.select_option("#id_specialist_role", service)
        page.fill("#id_hours", "1")
        page.fill("#id_cost_eur", amount)
        page.click("main form.stacked button[type=submit]")
        page.wait_for_url(re.compile(r"/support/plans/BRW234/services/$"))
    assert page.locator("[data-total=cost]").inner_text() == "75,00"
    assert page.locator("[data-total=course_services]").inner_text().startswith("2 ")
    assert page.locator("#service-log tbody tr").count() == 2
    page.context.clear_cookies()

    login(page, "elsewhere")
    response = page.goto("/support/plans/BRW234/")
    assert response is not None
    assert response.status == 404
