"""The support lists that show case codes audit them: one event per request naming the
codes shown (the plans list, the services beyond a limit, the compensation payments)."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from thb.audit.models import AuditEvent
from thb.support import services
from thb.support.tests.conftest import delivery


def _listed(user, purpose):
    return [
        event.details["codes"]
        for event in AuditEvent.objects.filter(actor=user, action="read")
        if event.details.get("purpose") == purpose
    ]


def test_the_plans_list_audits_the_codes_it_shows(client_for, owner, case, plan):
    services.service_deliver(
        actor=owner, plan=plan, data=delivery(date(2020, 4, 1), hours="30", reason="needed")
    )
    response = client_for(owner).get(reverse("support:index"))
    assert response.status_code == 200
    assert case.person.code in response.content.decode()
    assert _listed(owner, "support_list") == [[case.person.code]]


def test_an_empty_plans_list_writes_no_list_event(client_for, colleague, case):
    assert client_for(colleague).get(reverse("support:index")).status_code == 200
    assert _listed(colleague, "support_list") == []


def test_the_compensation_list_audits_the_codes_of_the_payments(client_for, legal_aid, case):
    services.compensation_record(
        actor=legal_aid,
        case=case,
        paid_on=date(2020, 6, 1),
        amount_eur=Decimal("500.00"),
        decision_reference="JPA-1",
    )
    response = client_for(legal_aid).get(reverse("support:compensation"))
    assert response.status_code == 200
    assert case.person.code in response.content.decode()
    assert _listed(legal_aid, "compensation_list") == [[case.person.code]]
