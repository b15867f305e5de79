"""Demo data of the specialist commission, through its services: MARTA's commission
meets in January 2021 with two cases on its agenda (one put before it in December
2020), its members record their positions and the decisions are recorded; a case
Drošā māja put before its commission in March 2021 waits, overdue, on the deadline
lists. The members' names are synthetic."""

from __future__ import annotations

from datetime import date

from thb.accounts.models import Role, User
from thb.core.demo import DEMO_PASSWORD, DemoContext
from thb.victims.models import Case, CaseStatus
from thb.victims.services import ExploitationProfile, Identity, Intake, VictimProfile, case_create

# username, institution code, given name, surname (the commission members the core
# demo does not create; "komisija" at MARTA chairs).
MEMBERS = [
    ("komisija-psihologs", "marta", "Ieva", "Kalēja"),
    ("komisija-vp", "vp", "Raimonds", "Strods"),
    ("komisija-dm", "drosa-maja", "Dace", "Vītola"),
]
SUFFICIENT = [
    "dr.nature_of_job_location_or_employer",
    "dr.conditions_of_prostitution",
    "ex.excessive_working_days_or_hours",
    "ex.low_or_no_salary",
    "cd.confiscation_of_documents",
    "cd.forced_tasks_or_clients",
]
CRITERIA = ["act_recruitment_transport", "means_deception", "purpose_exploitation"]


def _members(ctx: DemoContext) -> None:
    from thb.accounts.services import user_create

    for username, institution, first, last in MEMBERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(
                actor=None,
                username=username,
                role=Role.COMMISSION_MEMBER,
                institution=ctx.institutions[institution],
                password=DEMO_PASSWORD,
                first_name=first,
                last_name=last,
            )
        ctx.users[username] = user


def _waiting(ctx: DemoContext, institution: str) -> Case | None:
    for case in ctx.shared.get("victims.all", []):
        case.refresh_from_db()
        if case.institution.code == institution and case.status == CaseStatus.POTENTIAL:
            return case
    return None


def _screened(ctx: DemoContext, case: Case, list_key: str) -> object:
    from thb.screening.models import Screening
    from thb.screening.services import screening_record

    found = Screening.objects.filter(case=case).order_by("-screened_on").first()
    if found is not None:
        return found
    return screening_record(
        ctx.users["marta"] if case.institution.code == "marta" else ctx.users["drosamaja"],
        list_key=list_key,
        indicators=SUFFICIENT if list_key == "adult_sexual" else [],
        notes="",
        screened_on=case.intake_date,
        case=case,
    )


def _second_case(ctx: DemoContext) -> Case:
    """A woman who came to MARTA early in 2021 after seasonal work abroad."""
    return case_create(
        actor=ctx.users["marta"],
        intake=Intake(
            intake_date=date(2021, 1, 5),
            referral_channel="self",
            victim=VictimProfile(
                sex="female", citizenship="LV", age_at_identification=34, education="secondary"
            ),
            identity=Identity(given_names="Liene", surname="Zariņa"),
            exploitation=ExploitationProfile(
                forms=(("labour", "agriculture"),),
                places=(("NO", ""),),
                recruitment_method="internet",
                exploitation_start=date(2020, 8, 1),
                exploitation_end=date(2020, 11, 30),
            ),
        ),
    )


def load(ctx: DemoContext) -> None:
    from thb.commission import services
    from thb.commission.models import Stance

    _members(ctx)
    first = _waiting(ctx, "marta")
    waiting_dm = _waiting(ctx, "drosa-maja")
    if first is None:
        return
    second = _second_case(ctx)
    submissions = [
        services.submission_create(
            actor=ctx.users["marta"],
            case=first,
            submitted_on=date(2020, 12, 17),
            summary=(
                "Sieviete vervēta ar draudzīga paziņas starpniecību darbam viesmīlībā Rīgā; "
                "pēc ierašanās piespiesta sniegt seksuālus pakalpojumus, dokumenti atņemti, "
                "ienākumi atņemti parāda dēļ. Sintētisks ieraksts."
            ),
            screening=_screened(ctx, first, "adult_sexual"),  # type: ignore[arg-type]
        ),
        services.submission_create(
            actor=ctx.users["marta"],
            case=second,
            submitted_on=date(2021, 1, 7),
            summary=(
                "Sezonas darbs ogu novākšanā Norvēģijā, atrasts sludinājumā internetā. Darba "
                "samaksa mazāka, nekā solīts, bet persona varēja brīvi pārvietoties un "
                "atgriezties. Sintētisks ieraksts."
            ),
            screening=_screened(ctx, second, "adult_labour"),  # type: ignore[arg-type]
        ),
    ]
    chair = ctx.users["komisija"]
    meeting = services.meeting_create(actor=chair, held_on=date(2021, 1, 14))
    services.attendance_record(
        actor=chair,
        meeting=meeting,
        members=[chair, ctx.users["komisija-psihologs"], ctx.users["komisija-vp"]],
        chair=chair,
    )
    services.agenda_set(actor=chair, meeting=meeting, submissions=submissions)
    first_item, second_item = list(meeting.items.order_by("number"))
    for username, reasons in [
        ("komisija", "Vervēšana ar maldināšanu, ekspluatācijas nolūks pierādīts."),
        ("komisija-psihologs", "Traumas pazīmes atbilst aprakstītajam."),
        ("komisija-vp", "Liecības saskan ar policijas rīcībā esošo informāciju."),
    ]:
        services.position_record(
            actor=ctx.users[username], item=first_item, stance=Stance.RECOGNISE, reasons=reasons
        )
    for username, stance, reasons in [
        ("komisija", Stance.ABSTAIN, ""),
        ("komisija-psihologs", Stance.NOT_RECOGNISE, "Nav piespiešanas pazīmju."),
        ("komisija-vp", Stance.NOT_RECOGNISE, "Darba tiesību pārkāpums, nav ekspluatācijas."),
    ]:
        services.position_record(
            actor=ctx.users[username], item=second_item, stance=stance, reasons=reasons
        )
    services.item_decide(
        actor=chair,
        item=first_item,
        recognised=True,
        criteria_met=CRITERIA,
        reasons="Atbilst 2. pielikuma kritērijiem.",
    )
    services.item_decide(
        actor=chair,
        item=second_item,
        recognised=False,
        criteria_met=[],
        reasons="Darba tiesību pārkāpums bez cilvēku tirdzniecības pazīmēm.",
    )
    if waiting_dm is not None:
        services.submission_create(
            actor=ctx.users["drosamaja"],
            case=waiting_dm,
            submitted_on=date(2021, 3, 3),
            summary=(
                "Vīrietis no Moldovas, būvniecība Rīgā: algas neizmaksāšana, dzīvošana "
                "būvobjektā, pase pie darba devēja. Sintētisks ieraksts."
            ),
        )
    ctx.shared["commission.meeting"] = meeting
