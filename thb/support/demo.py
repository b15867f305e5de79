"""Support demo data: a rehabilitation plan and its services for every victim
recognised in 2020, the providers' funding contracts for 2020 and 2021, the other
eligible costs, and two state compensations, so that the 2020 support.* figures
equal the report: planned 135 110 EUR, spent 200 805 EUR, 2021 planned 135 110 EUR,
two persons compensated with 1 935.00 EUR each.

Services are generated (seeded); the other eligible costs (organising the service,
the helpline, case management before the grant) make up the rest of the year's cash
flow, as the providers' reports to the ministry do; costs another app's demo recorded
before (the returns from abroad, thb/returns/demo.py) are part of that rest."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from thb.accounts.models import User
from thb.core.demo import DemoContext
from thb.profiles import get_profile
from thb.support import services
from thb.support.models import OtherEligibleCost, RehabilitationPlan, ServiceDelivery
from thb.victims.models import Case

YEAR = 2020
PLANNED = {YEAR: Decimal("135110.00"), YEAR + 1: Decimal("135110.00")}
SPENT = Decimal("200805.00")
COMPENSATION = Decimal("1935.00")
CONTRACT_SHARE = {"marta": Decimal("0.5"), "drosa-maja": Decimal("0.5")}
CASEWORKER = {"marta": "marta", "drosa-maja": "drosamaja"}

# EUR per hour of each specialist; flat amounts for the cost-only services.
HOURLY = {
    "social_worker": 25,
    "psychologist": 35,
    "lawyer": 40,
    "doctor_or_specialist": 45,
    "family_consultation": 35,
    "criminal_proceedings_support": 30,
}
HOUSING_PER_DAY = 30


def _log(
    ctx: DemoContext,
    actor: User,
    plan: RehabilitationPlan,
    on: date,
    service: str,
    hours: int | Decimal,
    cost: int | Decimal,
    reason: str = "",
) -> None:
    section = get_profile().support
    services.service_deliver(
        actor=actor,
        plan=plan,
        data=services.DeliveryInput(
            delivered_on=on,
            service=service,
            specialist_role=section.service(service).default_specialist,
            hours=Decimal(hours),
            cost_eur=Decimal(cost),
            limit_reason=reason,
        ),
    )


def _plan_for(ctx: DemoContext, case: Case, injured: set[int]) -> None:
    rng = ctx.rng
    actor = ctx.users[CASEWORKER[case.institution.code]]
    starts = case.decided_on or case.intake_date
    foreign = (getattr(case.person.citizenship, "code", "") or "LV") != "LV"
    days = rng.randint(90, 180)
    reason = ""
    if foreign and rng.random() < 0.3:
        # Services continue throughout a foreign victim's residence track.
        days, reason = 200, "Uzturēšanās process: gaida lēmumu par termiņuzturēšanās atļauju."
    planned = ["social_worker", "psychologist", "lawyer"]
    housing = rng.random() < 0.5
    if housing:
        planned.append("safe_housing_lv")
    if foreign:
        planned += ["document_translation", "travel_costs"]
    if case.pk in injured:
        planned.append("criminal_proceedings_support")
    plan = services.plan_save(
        actor=actor,
        case=case,
        data=services.PlanInput(
            starts_on=starts,
            ends_on=starts + timedelta(days=days - 1),
            services=planned,
            goals="Drošība, veselība, dokumenti, darbs (sintētisks demo plāns).",
            limit_reason=reason,
        ),
    )
    step = max(days // 8, 7)
    for n in range(rng.randint(4, 8)):
        _log(ctx, actor, plan, starts + timedelta(days=1 + n * step), "social_worker", 1, 25)
    for n in range(rng.randint(3, 7)):
        _log(ctx, actor, plan, starts + timedelta(days=3 + n * step), "psychologist", 1, 35)
    for n in range(rng.randint(1, 3)):
        _log(ctx, actor, plan, starts + timedelta(days=5 + n * step), "lawyer", 1, 40)
    if housing:
        stay = rng.randint(20, 75)
        _log(ctx, actor, plan, starts, "safe_housing_lv", 0, stay * HOUSING_PER_DAY)
    if foreign:
        _log(
            ctx,
            actor,
            plan,
            starts + timedelta(days=2),
            "document_translation",
            0,
            rng.randint(40, 120),
        )
        _log(ctx, actor, plan, starts + timedelta(days=4), "travel_costs", 0, rng.randint(20, 150))
    if rng.random() < 0.3:
        _log(
            ctx,
            actor,
            plan,
            starts + timedelta(days=10),
            "document_restoration",
            0,
            rng.randint(30, 80),
        )
    if rng.random() < 0.2:
        _log(
            ctx,
            actor,
            plan,
            starts + timedelta(days=30),
            "education_training",
            0,
            rng.randint(100, 300),
        )
    if reason:
        # A service after day 180 of the extended course: flagged, with the plan's reason.
        _log(ctx, actor, plan, starts + timedelta(days=185), "social_worker", 1, 25)
    if case.pk in injured:
        hours = rng.randint(8, 30)
        _log(
            ctx,
            actor,
            plan,
            starts + timedelta(days=20),
            "criminal_proceedings_support",
            hours,
            hours * HOURLY["criminal_proceedings_support"],
        )
    elif rng.random() < 0.3:
        # One of the five free consultations after the course.
        _log(ctx, actor, plan, plan.ends_on + timedelta(days=30), "psychologist", 1, 35)


def _other_costs(ctx: DemoContext, remaining: Decimal) -> None:
    """Spread the rest of the year's cash flow over the providers' monthly cost records;
    the last record takes the remainder so the total is exact to the cent."""
    funder = ctx.users["labklajiba"]
    entries: list[tuple[str, int, str]] = []
    for month in range(1, 13):
        entries.append(("marta", month, "organisation"))
        entries.append(("drosa-maja", month, "organisation"))
        entries.append(("drosa-maja", month, "helpline"))
        entries.append(("marta", month, "case_management_before_grant"))
    each = (remaining / len(entries)).quantize(Decimal("1"))
    for index, (provider, month, category) in enumerate(entries):
        amount = each if index < len(entries) - 1 else remaining - each * (len(entries) - 1)
        services.other_cost_create(
            actor=funder,
            provider=ctx.institutions[provider],
            incurred_on=date(YEAR, month, 28),
            category=category,
            amount_eur=amount,
            description="Mēneša izmaksu atskaite (sintētiska)",
        )


def load(ctx: DemoContext) -> None:
    recognised: list[Case] | None = ctx.shared.get("victims.recognised")
    if not recognised:
        if ctx.stdout is not None:
            ctx.stdout.write("  support: no recognised victims from the victims demo; skipped")
        return
    funder = ctx.users["labklajiba"]
    for year, total in PLANNED.items():
        for code, share in CONTRACT_SHARE.items():
            services.funding_contract_save(
                actor=funder,
                year=year,
                provider=ctx.institutions[code],
                planned_eur=(total * share).quantize(Decimal("0.01")),
                reference=f"LM-{year}-{code.upper()}",
            )
    injured_cases: list[Case] = [
        case for cases in ctx.shared.get("victims.injured_parties", {}).values() for case in cases
    ]
    injured = {case.pk for case in injured_cases}
    for case in recognised:
        _plan_for(ctx, case, injured)
    spent_on_services = sum(
        ServiceDelivery.objects.filter(delivered_on__year=YEAR).values_list("cost_eur", flat=True),
        Decimal(0),
    )
    # Costs other apps' demos already charged to the year (returns from abroad).
    recorded_costs = sum(
        OtherEligibleCost.objects.filter(incurred_on__year=YEAR).values_list(
            "amount_eur", flat=True
        ),
        Decimal(0),
    )
    remaining = SPENT - spent_on_services - recorded_costs
    if remaining <= 0:
        raise RuntimeError(f"support demo: services alone cost {spent_on_services} EUR")
    _other_costs(ctx, remaining)
    payer = ctx.users["jpa"]
    for case, paid_on in zip(
        (injured_cases or recognised)[:2], [date(YEAR, 10, 15), date(YEAR, 11, 20)], strict=False
    ):
        services.compensation_record(
            actor=payer,
            case=case,
            paid_on=paid_on,
            amount_eur=COMPENSATION,
            decision_reference=f"JPA-{paid_on:%Y%m%d}",
        )
