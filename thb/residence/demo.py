"""Residence tracks of the demo's foreign (non-EU) victims, recorded through the same
services the caseworker, the process director and PMLP use, so that the 2020 figures
(8 reflection periods, 17 residence permits) are counted from records:

- 8 recognised victims who are not injured parties (the earliest decided in 2020)
  apply for a reflection period; 2 of them are then issued a permit (one with an
  accompanying minor child), the others are evaluated without a permit request
  (one evaluation late, so the demo shows a missed deadline);
- the 15 injured parties of 2020 are evaluated and issued permits without a
  reflection period;
- three tracks left open (_open_tracks), so that the deadlines page has something
  to show to each role that may see it.
"""

from __future__ import annotations

from datetime import date, timedelta

from thb.accounts.models import Institution, InstitutionKind, Role, User
from thb.accounts.services import user_create
from thb.core.demo import DEMO_PASSWORD, DemoContext
from thb.lib.workdays import add_months
from thb.residence import services
from thb.residence.models import PermitHolder, PermitRequest
from thb.victims.models import Case
from thb.victims.services import case_route

REFLECTION_PERIODS = 8
PERMITS_AFTER_REFLECTION = 2
YEAR_END = date(2020, 12, 31)


def _user(ctx: DemoContext, role: str, institution: Institution | None) -> User:
    for user in ctx.users.values():
        if user.role == role and institution is not None and user.institution_id == institution.pk:
            return user
    raise LookupError(f"no demo {role} at {institution}")


def _migration_officer(ctx: DemoContext) -> User:
    office = next(
        i for i in ctx.institutions.values() if i.kind == InstitutionKind.MIGRATION_OFFICE
    )
    for user in ctx.users.values():
        if user.role == Role.REPORTER and user.institution_id == office.pk:
            return user
    user = User.objects.filter(username="pmlp").first() or user_create(
        actor=None,
        username="pmlp",
        role=Role.REPORTER,
        institution=office,
        password=DEMO_PASSWORD,
    )
    ctx.users["pmlp"] = user
    return user


def _ensure_proceeding(ctx: DemoContext, case: Case, owner: User) -> None:
    # The application goes to the investigating institution; a recognised victim who
    # applies is linked to a State Police proceeding if the case has none yet.
    if case.proceeding_institution_id is None:
        case_route(
            actor=owner,
            case=case,
            submitted_to_commission_on=case.submitted_to_commission_on,
            proceeding_institution=ctx.institutions["vp"],
            proceeding_reference=f"1181600{ctx.rng.randint(1000, 9999)}20",
        )


def _issue(
    ctx: DemoContext, officer: User, request: PermitRequest, holder: str, months: int
) -> None:
    issued_on = min(request.requested_on + timedelta(days=ctx.rng.randint(5, 10)), YEAR_END)
    valid_to = add_months(issued_on, months) - timedelta(days=1)
    services.permit_record(
        actor=officer,
        request=request,
        holder=holder,
        issued_on=issued_on,
        valid_from=issued_on,
        valid_to=valid_to,
    )


def _reflection_track(
    ctx: DemoContext,
    case: Case,
    officer: User,
    office: Institution,
    *,
    permit: bool,
    late_evaluation: bool,
    child: bool,
) -> None:
    assert case.decided_on is not None
    owner = _user(ctx, Role.CASEWORKER, case.institution)
    _ensure_proceeding(ctx, case, owner)
    director = _user(ctx, Role.PROCESS_DIRECTOR, case.proceeding_institution)
    status_on = case.decided_on
    services.information_record(actor=owner, case=case, given_on=status_on, language="ru")
    applied_on = status_on + timedelta(days=ctx.rng.randint(1, 3))
    services.application_record(actor=owner, case=case, submitted_on=applied_on)
    decided_on = applied_on + timedelta(days=ctx.rng.randint(1, 2))
    track = services.reflection_decision_record(
        actor=director, case=case, decided_on=decided_on, granted=True
    )
    assert track.reflection_end is not None
    if late_evaluation:
        evaluated_on = services.evaluation_due_on(track.reflection_end) + timedelta(days=4)
    else:
        evaluated_on = track.reflection_end - timedelta(days=ctx.rng.randint(2, 8))
    services.evaluation_record(
        actor=director,
        case=case,
        evaluated_on=evaluated_on,
        further_stay_useful=permit,
        keeps_contact_with_suspects=False,
    )
    if permit:
        request = services.permit_request_record(
            actor=director,
            case=case,
            requested_on=evaluated_on + timedelta(days=1),
            months=12,
            migration_office=office,
            accompanying_minor_children=1 if child else 0,
            reasons="Pre-trial investigation expected to take about a year.",
        )
        _issue(ctx, officer, request, PermitHolder.VICTIM, 12)
        if child:
            _issue(ctx, officer, request, PermitHolder.CHILD, 12)


def _injured_party_track(ctx: DemoContext, case: Case, officer: User, office: Institution) -> None:
    assert case.injured_party_on is not None
    director = _user(ctx, Role.PROCESS_DIRECTOR, case.proceeding_institution)
    evaluated_on = case.injured_party_on + timedelta(days=ctx.rng.randint(1, 3))
    services.evaluation_record(
        actor=director,
        case=case,
        evaluated_on=evaluated_on,
        further_stay_useful=True,
        keeps_contact_with_suspects=False,
    )
    request = services.permit_request_record(
        actor=director,
        case=case,
        requested_on=evaluated_on + timedelta(days=1),
        months=ctx.rng.choice([6, 12]),
        migration_office=office,
        reasons="The victim is an injured party in the proceeding.",
    )
    _issue(ctx, officer, request, PermitHolder.VICTIM, request.months)


def load(ctx: DemoContext) -> None:
    recognised: list[Case] = ctx.shared["victims.recognised"]
    injured: list[Case] = [
        case for cases in ctx.shared["victims.injured_parties"].values() for case in cases
    ]
    officer = _migration_officer(ctx)
    assert officer.institution is not None
    office = officer.institution
    injured_ids = {case.pk for case in injured}
    candidates = sorted(
        (
            case
            for case in recognised
            if case.pk not in injured_ids
            and case.decided_on is not None
            and services.out_of_scope_reason(case) is None
        ),
        key=lambda case: (case.decided_on, case.pk),
    )[:REFLECTION_PERIODS]
    for index, case in enumerate(candidates):
        _reflection_track(
            ctx,
            case,
            officer,
            office,
            permit=index < PERMITS_AFTER_REFLECTION,
            late_evaluation=index == REFLECTION_PERIODS - 1,
            child=index == 0,
        )
    for case in injured:
        _injured_party_track(ctx, case, officer, office)
    tracked = {case.pk for case in candidates} | injured_ids
    _open_tracks(
        ctx,
        [
            case
            for case in recognised
            if case.pk not in tracked
            and case.decided_on is not None
            and services.out_of_scope_reason(case) is None
        ],
        officer,
        office,
    )


def _open_tracks(ctx: DemoContext, cases: list[Case], officer: User, office: Institution) -> None:
    """Tracks stopped where the deadlines page has something to show, within the
    demo's story (the 2020 report, written early in 2021: nothing is dated later, so
    that the statistics still open on 2021), for the recognised foreign victims of
    2020 the reflection-period demo left without a track: the caseworkers of the
    latest have not recorded the application (overdue since 2020), a State Police
    process director has not evaluated a reflection period that ended in March 2021,
    and PMLP has not answered a permit request of February 2021. The deadlines due
    within the week at today's date are the referrals' (thb/referrals/demo.py): a
    residence deadline due today would need a victim status or a reflection period
    of these weeks, which would make the current year the demo's latest year."""
    by_date = sorted(cases, key=lambda case: (case.decided_on or YEAR_END, case.pk))
    if len(by_date) < 3:
        return
    latest, *earlier = reversed(by_date)
    assert latest.decided_on is not None
    owner = _user(ctx, Role.CASEWORKER, latest.institution)
    services.information_record(actor=owner, case=latest, given_on=latest.decided_on, language="ru")
    for case, decided_on, request in (
        (earlier[0], date(2021, 2, 1), False),
        (earlier[1], date(2021, 1, 25), True),
    ):
        assert case.decided_on is not None
        owner = _user(ctx, Role.CASEWORKER, case.institution)
        _ensure_proceeding(ctx, case, owner)
        director = _user(ctx, Role.PROCESS_DIRECTOR, case.proceeding_institution)
        services.information_record(actor=owner, case=case, given_on=case.decided_on, language="ru")
        services.application_record(
            actor=owner, case=case, submitted_on=case.decided_on + timedelta(days=1)
        )
        track = services.reflection_decision_record(
            actor=director, case=case, decided_on=decided_on, granted=True
        )
        if not request:
            continue
        assert track.reflection_end is not None
        evaluated_on = track.reflection_end - timedelta(days=2)
        services.evaluation_record(
            actor=director,
            case=case,
            evaluated_on=evaluated_on,
            further_stay_useful=True,
            keeps_contact_with_suspects=False,
        )
        services.permit_request_record(
            actor=director,
            case=case,
            requested_on=evaluated_on + timedelta(days=1),
            months=12,
            migration_office=office,
            reasons="The pre-trial investigation goes on.",
        )
