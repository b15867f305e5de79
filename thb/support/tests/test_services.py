"""Writes: plans only for recognised victims, limits refused without a reason and
flagged with one, every write audited, only the owning caseworkers may write."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from thb.audit.models import Action, AuditEvent
from thb.support import rules, services
from thb.support.models import ServiceDelivery
from thb.support.tests.conftest import delivery
from thb.victims.models import CaseStatus


def test_it_refuses_a_plan_for_a_victim_not_recognised(owner, provider, make_case, make_plan):
    potential = make_case("POT234", provider, status=CaseStatus.POTENTIAL)
    with pytest.raises(ValidationError) as info:
        make_plan(owner, potential)
    assert "case" in info.value.error_dict


def test_it_refuses_a_course_over_180_days_without_a_reason(owner, case, make_plan):
    with pytest.raises(ValidationError) as info:
        make_plan(owner, case, days=181)
    assert "limit_reason" in info.value.error_dict
    assert "180" in str(info.value) and "344" in str(info.value)


def test_it_flags_a_course_over_180_days_with_a_reason(owner, case, make_plan):
    plan = make_plan(owner, case, days=200, limit_reason="Residence track continues.")
    assert plan.limit_flags == [rules.COURSE_DAYS]
    assert plan.limit_reason == "Residence track continues."


def test_it_refuses_a_plan_from_a_colleague(colleague, case, make_plan):
    with pytest.raises(PermissionDenied):
        make_plan(colleague, case)


def test_it_logs_a_service_and_audits_it(owner, plan):
    d = services.service_deliver(actor=owner, plan=plan, data=delivery(date(2020, 3, 10)))
    assert d.provider == plan.case.institution
    assert d.limit_flags == []
    event = AuditEvent.objects.filter(object_type="support.servicedelivery").get()
    assert event.action == Action.CREATE
    assert event.details["code"] == "ABC234"
    assert plan.case.events.filter(kind="support_service_logged").exists()


def test_it_refuses_a_service_before_the_course(owner, plan):
    with pytest.raises(ValidationError) as info:
        services.service_deliver(actor=owner, plan=plan, data=delivery(date(2020, 3, 1)))
    assert "delivered_on" in info.value.error_dict


def test_it_refuses_the_sixth_free_consultation_without_a_reason(owner, case, make_plan):
    plan = make_plan(owner, case, days=100)
    after = plan.ends_on + timedelta(days=1)
    for n in range(5):
        services.service_deliver(actor=owner, plan=plan, data=delivery(after + timedelta(n)))
    with pytest.raises(ValidationError) as info:
        services.service_deliver(actor=owner, plan=plan, data=delivery(after + timedelta(9)))
    assert "5" in str(info.value) and "344" in str(info.value)
    assert ServiceDelivery.objects.count() == 5
    d = services.service_deliver(
        actor=owner, plan=plan, data=delivery(after + timedelta(9), reason="Crisis after trial.")
    )
    assert d.limit_flags == [rules.AFTER_COURSE_COUNT]
    assert d.limit_reason == "Crisis after trial."


def test_it_refuses_criminal_proceedings_hours_over_the_yearly_limit(owner, plan):
    big = delivery(date(2020, 4, 1), "criminal_proceedings_support", hours="150", cost="4500")
    services.service_deliver(actor=owner, plan=plan, data=big)
    more = delivery(date(2020, 12, 1), "criminal_proceedings_support", hours="0.5", cost="15")
    with pytest.raises(ValidationError, match="150"):
        services.service_deliver(actor=owner, plan=plan, data=more)


def test_services_after_day_180_of_an_extended_course_carry_the_plan_reason(owner, case, make_plan):
    plan = make_plan(owner, case, days=200, limit_reason="Residence track continues.")
    d = services.service_deliver(
        actor=owner, plan=plan, data=delivery(plan.starts_on + timedelta(days=185))
    )
    assert d.limit_flags == [rules.COURSE_DAYS]
    assert d.limit_reason == "Residence track continues."


def test_it_refuses_a_service_from_a_colleague(colleague, plan):
    with pytest.raises(PermissionDenied):
        services.service_deliver(actor=colleague, plan=plan, data=delivery(date(2020, 3, 10)))


def test_funding_is_recorded_by_the_funder_only(welfare, owner, provider):
    contract = services.funding_contract_save(
        actor=welfare, year=2020, provider=provider, planned_eur=Decimal("135110")
    )
    assert contract.planned_eur == Decimal("135110")
    with pytest.raises(PermissionDenied):
        services.funding_contract_save(
            actor=owner, year=2020, provider=provider, planned_eur=Decimal(1)
        )


def test_a_provider_records_its_own_other_costs_only(owner, provider, other_provider):
    services.other_cost_create(
        actor=owner,
        provider=provider,
        incurred_on=date(2020, 5, 1),
        category="helpline",
        amount_eur=Decimal("100"),
    )
    with pytest.raises(PermissionDenied):
        services.other_cost_create(
            actor=owner,
            provider=other_provider,
            incurred_on=date(2020, 5, 1),
            category="helpline",
            amount_eur=Decimal("100"),
        )


def test_compensation_is_recorded_by_the_legal_aid_body_only(legal_aid, owner, case):
    payment = services.compensation_record(
        actor=legal_aid, case=case, paid_on=date(2020, 10, 1), amount_eur=Decimal("1935.00")
    )
    assert payment.payer.code == "jpa"
    with pytest.raises(PermissionDenied):
        services.compensation_record(
            actor=owner, case=case, paid_on=date(2020, 10, 1), amount_eur=Decimal("1")
        )
