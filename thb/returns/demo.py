"""Demo returns: the two Latvian women of the 2020 demo who were identified abroad (one
referred by an NGO in Serbia, one reported by the consular service from Brazil), each
brought home with a return plan: the partner abroad contacted, documents restored by
the consular service, safe housing abroad while waiting, travel and reception in
Latvia, with the costs charged to the provider's return category. Everything goes
through the services; partner names are synthetic."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from thb.core.demo import DemoContext
from thb.returns.services import CostInput, PlanInput, StepInput, cost_record, plan_save, step_save
from thb.victims.models import Case, country_code

CONSULAR = "am-konsuli"


@dataclass(frozen=True)
class DemoStep:
    kind: str
    institution: str  # "" for the owning provider
    after_days: int  # done this many days after the intake
    partner: str = ""
    cost: Decimal | None = None


PARTNERS = {
    "ngo_abroad": "NVO partneris Belgradā (sintētisks)",
    "foreign_ministry": "Latvijas goda konsuls (sintētisks)",
}
STEPS = [
    DemoStep("contact", "", 0),
    DemoStep("documents", CONSULAR, 3, cost=Decimal("30.00")),
    DemoStep("safe_housing_abroad", "", 1, cost=Decimal("240.00")),
    DemoStep("travel", "", 6, cost=Decimal("420.00")),
    DemoStep("reception", "", 6),
]


def _bring_home(ctx: DemoContext, case: Case) -> None:
    actor = ctx.users["marta" if case.institution.code == "marta" else "drosamaja"]
    partner = PARTNERS.get(case.referral_channel, "")
    plan = plan_save(
        actor=actor,
        case=case,
        data=PlanInput(
            from_country=country_code(case.identified_abroad_in),
            partner=partner,
            notes="Atgriešanās sagatavota kopā ar partneri ārvalstīs (sintētisks ieraksts).",
        ),
    )
    for spec in STEPS:
        on = case.intake_date + timedelta(days=spec.after_days)
        institution = ctx.institutions[spec.institution] if spec.institution else case.institution
        step = step_save(
            actor=actor,
            plan=plan,
            data=StepInput(
                kind=spec.kind,
                responsible_institution=institution,
                planned_on=on,
                done_on=on,
                partner=partner if spec.kind == "contact" else "",
            ),
        )
        if spec.cost is not None:
            cost_record(
                actor=actor,
                plan=plan,
                data=CostInput(incurred_on=on, amount_eur=spec.cost, step=step),
            )


def load(ctx: DemoContext) -> None:
    for case in ctx.shared.get("victims.abroad", []):
        _bring_home(ctx, case)
