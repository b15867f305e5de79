"""Reads: funding aggregates and compensation statistics from the records."""

from datetime import date
from decimal import Decimal

from thb.reports.figures import report_figures
from thb.support import selectors, services
from thb.support.tests.conftest import delivery


def test_funding_spent_is_services_plus_other_costs_against_the_plan(
    welfare, owner, plan, provider
):
    services.funding_contract_save(
        actor=welfare, year=2020, provider=provider, planned_eur=Decimal("1000")
    )
    services.funding_contract_save(
        actor=welfare, year=2021, provider=provider, planned_eur=Decimal("900")
    )
    services.service_deliver(actor=owner, plan=plan, data=delivery(date(2020, 3, 10), cost="800"))
    services.other_cost_create(
        actor=welfare,
        provider=provider,
        incurred_on=date(2020, 6, 1),
        category="organisation",
        amount_eur=Decimal("400.50"),
    )
    provider_row, total = selectors.funding_rows(year=2020)
    assert provider_row.provider == provider
    assert total.spent == Decimal("1200.50")
    assert total.difference == Decimal("200.50")
    assert total.planned_next_year == Decimal("900")
    assert report_figures(2020)["support.funding.spent_eur"] == 1200.5
    assert report_figures(2020)["support.funding.planned_eur"] == 1000


def test_a_caseworker_sees_only_its_own_providers_funding(
    welfare, owner, colleague, provider, other_provider
):
    for institution in (provider, other_provider):
        services.funding_contract_save(
            actor=welfare, year=2020, provider=institution, planned_eur=Decimal("100")
        )
    rows = selectors.funding_for_user(actor=colleague, year=2020)
    assert [r.provider for r in rows[:-1]] == [other_provider]
    assert len(selectors.funding_for_user(actor=welfare, year=2020)) == 3


def test_amount_per_person_is_the_mean_per_person(legal_aid, provider, make_case):
    a, b = make_case("AAA234", provider), make_case("BBB234", provider)
    for case, amount in ((a, "1000"), (a, "500"), (b, "1500")):
        services.compensation_record(
            actor=legal_aid, case=case, paid_on=date(2020, 5, 1), amount_eur=Decimal(amount)
        )
    stats = selectors.compensation_statistics(2020)
    assert (stats.persons, stats.payments, stats.total) == (2, 3, Decimal("3000"))
    assert stats.amount_per_person == Decimal("1500.00")


def test_the_legal_aid_body_finds_a_recognised_victim_by_exact_code_only(
    legal_aid, provider, make_case
):
    from thb.audit.models import Action, AuditEvent
    from thb.victims.models import CaseStatus

    make_case("REC234", provider)
    make_case("NOT234", provider, status=CaseStatus.NOT_RECOGNISED)
    assert selectors.compensation_case_lookup(actor=legal_aid, code=" rec234 ") is not None
    assert selectors.compensation_case_lookup(actor=legal_aid, code="NOT234") is None
    assert selectors.compensation_case_lookup(actor=legal_aid, code="REC23") is None
    assert AuditEvent.objects.filter(action=Action.DENIED).count() == 2
    assert (
        AuditEvent.objects.filter(action=Action.READ, details__purpose="compensation").count() == 1
    )


def test_flag_counts_have_no_identities(welfare, owner, case, make_plan):
    plan = make_plan(owner, case, days=200, limit_reason="Residence track.")
    services.service_deliver(actor=owner, plan=plan, data=delivery(date(2020, 9, 15)))
    counts = selectors.limit_flag_counts(actor=welfare, year=2020)
    assert counts == {"course_days": 1, "plan.course_days": 1}


def test_funding_totals_of_several_years_equal_each_years_total_line(
    welfare, owner, plan, provider
):
    services.funding_contract_save(
        actor=welfare, year=2020, provider=provider, planned_eur=Decimal("1000.10")
    )
    services.funding_contract_save(
        actor=welfare, year=2021, provider=provider, planned_eur=Decimal("900")
    )
    services.service_deliver(actor=owner, plan=plan, data=delivery(date(2020, 3, 10), cost="0.10"))
    services.service_deliver(actor=owner, plan=plan, data=delivery(date(2020, 3, 11), cost="0.20"))
    services.service_deliver(actor=owner, plan=plan, data=delivery(date(2021, 1, 5), cost="7"))
    totals = selectors.funding_totals([2019, 2020, 2021])
    for year, found in totals.items():
        rows = selectors.funding_rows(year=year)
        line = rows[-1] if rows else selectors.FundingRow(provider=None)
        assert (found.planned, found.spent, found.planned_next_year) == (
            line.planned,
            line.spent,
            line.planned_next_year,
        )
    assert totals[2020].spent == Decimal("0.30")  # exactly, on SQLite too
    assert totals[2020].planned_next_year == Decimal("900")
