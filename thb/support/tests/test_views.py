"""Pages: owner, colleague at another institution, outsider; funding and compensation."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from thb.audit.models import Action, AuditEvent
from thb.support import services
from thb.support.models import ServiceDelivery, StateCompensation
from thb.support.tests.conftest import delivery


def _url(name, code="ABC234"):
    return reverse(f"support:{name}", args=[code])


@pytest.mark.parametrize("name", ["plan", "plan_edit", "services"])
def test_a_colleague_at_another_institution_gets_404(client_for, colleague, plan, name):
    assert client_for(colleague).get(_url(name)).status_code == 404


@pytest.mark.parametrize("name", ["plan", "plan_edit", "services"])
def test_an_outsider_gets_403(client_for, outsider, coordinator, plan, name):
    assert client_for(outsider).get(_url(name)).status_code == 403
    assert client_for(coordinator).get(_url(name)).status_code == 403


def test_the_owner_sees_the_plan_and_the_read_is_audited(client_for, owner, plan):
    response = client_for(owner).get(_url("plan"))
    assert response.status_code == 200
    assert b"ABC234" in response.content
    assert AuditEvent.objects.filter(
        action=Action.READ, object_type="support.rehabilitationplan", object_id=str(plan.pk)
    ).exists()


def test_the_owner_makes_a_plan(client_for, owner, case):
    response = client_for(owner).post(
        _url("plan_edit"),
        {"starts_on": "2020-03-02", "ends_on": "2020-08-28", "services": ["psychologist"]},
    )
    assert response.status_code == 302
    assert case.support_plan.planned_services.get().service == "psychologist"


def test_a_plan_over_the_limit_without_reason_shows_the_rule(client_for, owner, case):
    response = client_for(owner).post(
        _url("plan_edit"), {"starts_on": "2020-03-02", "ends_on": "2020-12-31"}
    )
    assert response.status_code == 200
    assert "180" in response.content.decode()
    assert not hasattr(case, "support_plan") or case.support_plan is None


def test_the_owner_logs_a_service_and_the_totals_show_it(client_for, owner, plan):
    client = client_for(owner)
    data = {
        "delivered_on": "2020-03-10",
        "service": "psychologist",
        "specialist_role": "psychologist",
        "hours": "1",
        "cost_eur": "35.00",
    }
    assert client.post(_url("services"), data).status_code == 302
    page = client.get(_url("services")).content.decode()
    assert 'data-total="cost">35,00' in page  # Latvian number format
    assert ServiceDelivery.objects.get().cost_eur == Decimal("35.00")


def test_a_flagged_service_shows_on_the_log_and_the_index(client_for, owner, case, make_plan):
    plan = make_plan(owner, case, days=200, limit_reason="Residence track.")
    services.service_deliver(actor=owner, plan=plan, data=delivery(date(2020, 9, 15)))
    client = client_for(owner)
    # The limit by its words, never its rule code (issue 10).
    for page in (client.get(_url("services")), client.get(reverse("support:index"))):
        assert "kurss garāks par pieļaujamo" in page.content.decode()
    assert "course_days" not in client.get(reverse("support:index")).content.decode()


def test_the_plan_page_says_services_continue_for_a_non_eu_victim(
    client_for, owner, provider, make_case, make_plan
):
    foreign = make_case("UZB234", provider, citizenship="UZ")
    make_plan(owner, foreign)
    page = client_for(owner).get(_url("plan", "UZB234")).content.decode()
    assert 'id="residence-h"' in page


def test_funding_page_for_the_welfare_contact_and_coordinator(
    client_for, welfare, coordinator, outsider, owner, plan, provider
):
    services.funding_contract_save(
        actor=welfare, year=2020, provider=provider, planned_eur=Decimal("135110")
    )
    for user in (welfare, coordinator):
        page = client_for(user).get(reverse("support:funding") + "?year=2020").content.decode()
        assert "135\xa0110,00" in page  # Latvian: a no-break space, a decimal comma
        assert "ABC234" not in page
    assert client_for(outsider).get(reverse("support:funding")).status_code == 403


def test_the_legal_aid_body_records_compensation_by_case_code(client_for, legal_aid, owner, case):
    client = client_for(legal_aid)
    data = {"case_code": "ABC234", "paid_on": "2020-10-15", "amount_eur": "1935.00"}
    assert client.post(reverse("support:compensation"), data).status_code == 302
    assert StateCompensation.objects.get().amount_eur == Decimal("1935.00")
    bad = client.post(reverse("support:compensation"), {**data, "case_code": "NOPE99"})
    assert bad.status_code == 200
    assert StateCompensation.objects.count() == 1
    assert client_for(owner).get(reverse("support:compensation")).status_code == 403


def test_the_case_page_links_to_the_plan_for_the_owner_only(owner, colleague, case):
    from thb.support.links import case_links

    assert case_links(actor=owner, case=case)[0]["url"] == _url("plan")
    assert case_links(actor=colleague, case=case) == []
