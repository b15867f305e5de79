"""Screenings of some demo cases, recorded through the service the intake uses, so the
tour shows explained results on the case pages (the owner's and the commission's)."""

from __future__ import annotations

from thb.core.demo import DemoContext
from thb.screening.services import screening_record
from thb.victims.models import Case

# The indicators ticked in the demo, by list: enough for the rule, or (the second set)
# without coercion at destination, so the tour shows both kinds of explanation.
TICKS: dict[str, tuple[list[str], list[str]]] = {
    "adult_sexual": (
        [
            "dr.nature_of_job_location_or_employer",
            "dr.conditions_of_prostitution",
            "ex.excessive_working_days_or_hours",
            "ex.low_or_no_salary",
            "cd.confiscation_of_documents",
            "cd.isolation_confinement_or_surveillance",
        ],
        [
            "vr.economic_reasons",
            "vr.family_situation",
            "vr.personal_situation",
            "ex.hazardous_work",
        ],
    ),
    "adult_labour": (
        [
            "dr.nature_of_job_location_or_employer",
            "dr.wages_earnings",
            "ex.excessive_working_days_or_hours",
            "ex.bad_living_conditions",
            "cd.debt_bondage",
            "cd.withholding_of_wages",
        ],
        [
            "dr.wages_earnings",
            "dr.conditions_of_work",
            "dr.housing_and_living_conditions",
            "ex.excessive_working_days_or_hours",
            "ex.wage_manipulation",
        ],
    ),
    "child_sexual": (
        ["cr.threats_of_violence", "cr.debt_bondage", "ex.hazardous_work", "ex.low_or_no_salary"],
        ["vr.family_situation", "vr.economic_reasons", "ex.bad_living_conditions"],
    ),
    "child_labour": (
        ["cr.violence_on_victims", "cr.debt_bondage", "ex.excessive_working_days_or_hours"],
        ["ex.hazardous_work", "ex.low_or_no_salary", "ex.bad_living_conditions"],
    ),
}
SCREENED = 8


def _list_for(case: Case) -> str | None:
    form = case.effective_primary_form
    if form not in ("sexual", "labour"):
        return None
    return f"{'child' if case.is_minor else 'adult'}_{form}"


def load(ctx: DemoContext) -> None:
    cases = [
        case
        for case in ctx.shared.get("victims.all", [])
        if case.institution.code == "marta" and _list_for(case)
    ]
    done = 0
    for case in cases[:SCREENED]:
        list_key = _list_for(case)
        assert list_key is not None
        sufficient, partial = TICKS[list_key]
        screening_record(
            ctx.users["marta"],
            list_key=list_key,
            indicators=partial if done % 3 == 2 else sufficient,
            notes="Sintētisks skrīnings: novērojumi pirmajā sarunā.",
            screened_on=case.intake_date,
            case=case,
        )
        done += 1
    ctx.shared["screening.count"] = done
