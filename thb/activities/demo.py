"""Demo activity records for 2020 (and the comparison years) so that the activity
figures of `thb report 2020` equal the published report.

Records wherever the report counts discrete things (inspections, complaints, cases,
proceedings, protocols, helpline contacts, training events with their participants,
campaign videos); aggregate returns, marked as such, only where the report gives just
a total or an average: the labour inspectorate's yearly averages, the 116111 line's
consultation total and the national training totals of 2020 and 2019 (the report gives
no breakdown of the 1 137 and the itemised events do not add up to it).

Dates, places and splits the report does not give (which day an inspection was, which
of the two administrative-offence sections a case was under) are synthetic, drawn from
ctx.rng.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from thb.accounts.models import User
from thb.activities.models import Helpline, InternationalProject, TrainingEvent
from thb.activities.record_types import TYPES
from thb.activities.services import record_bulk_create, record_save
from thb.core.demo import DemoContext

YEAR = 2020


def _day(ctx: DemoContext, start: date = date(YEAR, 1, 1), end: date = date(YEAR, 12, 31)) -> date:
    return start + timedelta(days=ctx.rng.randrange((end - start).days + 1))


def _moment(
    ctx: DemoContext, start: date = date(YEAR, 1, 1), end: date = date(YEAR, 12, 31)
) -> datetime:
    day = _day(ctx, start, end)
    naive = datetime(day.year, day.month, day.day, ctx.rng.randrange(8, 22), ctx.rng.randrange(60))
    return timezone.make_aware(naive)


def _save(actor: User, slug: str, **values: Any) -> Any:
    record, _created = record_save(actor=actor, record_type=TYPES[slug], values=values)
    return record


def _bulk(actor: User, slug: str, rows: list[dict[str, Any]]) -> None:
    record_bulk_create(actor=actor, record_type=TYPES[slug], rows=rows)


def _detection(ctx: DemoContext) -> None:
    users = ctx.users
    # VBTAI: 76 inspections, 8 of them in out-of-family care; no trafficking risk found.
    places = ["family", "educational_institution", "other"]
    _bulk(
        users["vbtai"],
        "detection",
        [
            {
                "kind": "inspection",
                "date": _day(ctx),
                "place_type": "out_of_family_care" if i < 8 else ctx.rng.choice(places),
                "thb_related": False,
            }
            for i in range(76)
        ],
    )
    # VBTAI: 1 280 complaints received, none about trafficking.
    _bulk(
        users["vbtai"],
        "detection",
        [{"kind": "complaint", "date": _day(ctx), "thb_related": False} for _ in range(1280)],
    )
    # State Border Guard: 60 administrative cases (LAPK 189.1 / 189.2; the split is
    # synthetic), criminal proceedings 2 under CL s.285 and 5 under s.285.2.
    border_guard = users["robezsardze"]
    _bulk(
        border_guard,
        "detection",
        [
            {
                "kind": "administrative_case",
                "date": _day(ctx),
                "legal_basis": ctx.rng.choice(["APK.189.1", "APK.189.2"]),
                "place_type": "workplace",
            }
            for _ in range(60)
        ]
        + [
            {"kind": "criminal_proceeding", "date": _day(ctx), "legal_basis": section}
            for section in ["285", "285", "285.2", "285.2", "285.2", "285.2", "285.2"]
        ],
    )
    # State Labour Inspectorate: yearly averages only.
    labour = users["vdi"]
    _save(
        labour,
        "detection-aggregate",
        kind="inspection",
        year=YEAR,
        value=10000,
        basis="annual_average",
        source="Valsts darba inspekcija gada laikā vidēji veic 10000 apsekojumu",
    )
    _save(
        labour,
        "detection-aggregate",
        kind="complaint",
        year=YEAR,
        value=3000,
        basis="annual_average",
        source="vidēji gadā 3000 darba ņēmēju iesniegumi",
    )
    # State Police: 3 protocols under LAPK s.174.4 before it lapsed on 1 July 2020,
    # 13 preventive talks after.
    police = users["vp-parskats"]
    _bulk(
        police,
        "detection",
        [
            {
                "kind": "protocol",
                "date": _day(ctx, end=date(YEAR, 6, 30)),
                "legal_basis": "LAPK.174.4",
            }
            for _ in range(3)
        ]
        + [
            {
                "kind": "preventive_talk",
                "date": _day(ctx, start=date(YEAR, 7, 1)),
                "place_type": "public_place",
            }
            for _ in range(13)
        ],
    )
    # Consulates: five reports of possible victims to the competent authorities.
    _bulk(
        users["konsuli"],
        "detection",
        [{"kind": "possible_victim", "date": _day(ctx), "thb_related": True} for _ in range(5)],
    )
    # Riga municipality: two trafficking cases found.
    _bulk(
        users["rigas-sd"],
        "detection",
        [{"kind": "case_found", "date": _day(ctx), "thb_related": True} for _ in range(2)],
    )


def _helplines(ctx: DemoContext) -> None:
    users = ctx.users
    drosa = _save(
        users["drosamaja-parskats"],
        "helplines",
        code="drosa_maja_24_7",
        name="24/7 Uzticības tālrunis cilvēku tirdzniecības mazināšanai",
        number="+371 28612120",
        hours="24/7",
        channels=["call", "email"],
        languages=["lv", "ru", "en"],
    )
    topics = ["trafficking", "work_abroad", "sham_marriage", "labour_rights"]
    _bulk(
        users["drosamaja-parskats"],
        "helpline-contacts",
        [
            {
                "helpline": drosa,
                "received_at": _moment(ctx),
                "channel": "call",
                "thb_related": ctx.rng.random() < 0.6,
                "language": ctx.rng.choice(["lv", "ru", "en"]),
                "topic": ctx.rng.choice(topics),
            }
            for _ in range(57)
        ]
        + [
            {
                "helpline": drosa,
                "received_at": _moment(ctx),
                "channel": "email",
                "thb_related": True,
                "language": ctx.rng.choice(["lv", "en"]),
                "topic": "trafficking",
            }
            for _ in range(14)
        ],
    )
    marta = _save(
        users["marta-parskats"],
        "helplines",
        code="centrs_marta",
        name="Biedrības kontakttālrunis",
        number="+371 67378539",
        hours="darba dienās darba laikā",
        channels=["call", "email"],
        languages=["lv", "ru", "en"],
        notes="Line 80002012 (weekdays 10:00-18:00) was given up in 2020.",
    )
    _bulk(
        users["marta-parskats"],
        "helpline-contacts",
        [
            {
                "helpline": marta,
                "received_at": _moment(ctx),
                "channel": channel,
                "thb_related": True,
                "language": "lv",
                "topic": "trafficking",
            }
            for channel in ["call"] * 16 + ["email"] * 4
        ],
    )
    line_116111 = _save(
        users["vbtai"],
        "helplines",
        code="vbtai_116111",
        name="Bērnu un pusaudžu Uzticības tālrunis",
        number="116111",
        hours="24/7",
        channels=["call", "chat", "email"],
        languages=["lv", "ru"],
    )
    _save(
        users["vbtai"],
        "helpline-aggregates",
        helpline=line_116111,
        period_start=date(YEAR, 1, 1),
        period_end=date(YEAR, 12, 31),
        contacts=6728,
        thb_related=0,
        source="2020.gadā VBTAI Uzticības tālruņa speciālisti kopā snieguši 6728 konsultācijas; "
        "informācija par cilvēku tirdzniecību nav saņemta",
    )
    line_116006 = _save(
        users["skalbes"],
        "helplines",
        code="victim_support_116006",
        name="Palīdzības dienests nozieguma upuriem",
        number="116006",
        hours="12:00-22:00",
        channels=["call"],
        languages=["lv", "ru", "en"],
        started_on=date(2016, 1, 1),
    )
    _save(
        users["skalbes"],
        "helpline-contacts",
        helpline=line_116006,
        received_at=_moment(ctx, date(YEAR, 4, 1), date(YEAR, 12, 18)),
        channel="call",
        thb_related=True,
        language="lv",
        topic="trafficking",
    )
    # The consular emergency line: "several calls", no number, so no contacts.
    _save(
        users["konsuli"],
        "helplines",
        code="mfa_consular_emergency",
        name="Konsulārās palīdzības ārkārtas situāciju tālrunis",
        number="+371 26337711",
        hours="24/7",
        channels=["call"],
        languages=["lv", "en", "ru"],
        notes="2020: several anonymous calls about possible labour exploitation (no count given).",
    )


def _event(actor: User, participants: list[tuple[str, str, int]], **values: Any) -> TrainingEvent:
    event: TrainingEvent = _save(actor, "training-events", **values)
    for group, profession, count in participants:
        _save(
            actor,
            "training-participants",
            event=event,
            participant_group=group,
            profession=profession,
            count=count,
        )
    return event


def _training(ctx: DemoContext) -> None:
    users = ctx.users
    _event(
        users["vpkoledza"],
        [("state_police", "police_officer", 136), ("border_guard", "border_guard_officer", 4)],
        title="Cilvēku tirdzniecības formas un prevence",
        event_type="course",
        format="online",
        start_date=date(YEAR, 1, 20),
        end_date=date(YEAR, 12, 10),
        sessions=10,
    )
    _event(
        users["lpmc"],
        [
            ("unknown", "psychologist", 36),
            ("prosecutor_office", "prosecutor", 34),
            ("courts", "judge", 68),
            ("sworn_advocates", "attorney", 22),
            ("municipal_police", "municipal_police_officer", 48),
        ],
        title="Cilvēku tirdzniecība (ESF projekta Nr. 9.2.1.3/16/I/001 mācību programma)",
        event_type="course",
        format="online",
        start_date=date(YEAR, 2, 3),
        end_date=date(YEAR, 11, 30),
    )
    _event(
        users["ltmc"],
        [("courts", "judiciary", 60)],
        title="Seminārs par cilvēku tirdzniecības aktualitātēm un situāciju Latvijā",
        event_type="seminar",
        format="online",
        start_date=date(YEAR, 12, 8),
        end_date=date(YEAR, 12, 8),
        duration_minutes=90,
    )
    prosecutor_events = [
        (
            "Tiesiskuma veicināšana: tiesas process, vēršoties pret cilvēku tirdzniecību",
            "EDSO",
            "conference",
            date(YEAR, 7, 20),
            date(YEAR, 7, 22),
            10,
        ),
        (
            "Virtuālā diskusija par darbā pieņemšanas praksi un cilvēku tirdzniecību",
            "Baltijas jūras valstu padome un Iekšlietu ministrija",
            "webinar",
            date(YEAR, 9, 30),
            date(YEAR, 9, 30),
            10,
        ),
        (
            "Aktuālais bērnu tirdzniecībā, tostarp izmantošanā un piespiedu noziedzībā",
            "CEPOL",
            "seminar",
            date(YEAR, 11, 6),
            date(YEAR, 11, 6),
            2,
        ),
        (
            "Diasporas loma un atbildība cīņā pret cilvēku tirdzniecību",
            "Lietuvas Republikas Iekšlietu ministrija",
            "seminar",
            date(YEAR, 11, 10),
            date(YEAR, 11, 10),
            2,
        ),
        (
            "Cilvēku tirdzniecībā cietušo personu tiesības kriminālprocesā",
            "La Strada International",
            "seminar",
            date(YEAR, 11, 25),
            date(YEAR, 11, 25),
            1,
        ),
    ]
    for title, organiser, event_type, start, end, count in prosecutor_events:
        _event(
            users["prokuratura"],
            [("prosecutor_office", "prosecutor", count)],
            title=title,
            own_event=False,
            organiser=organiser,
            event_type=event_type,
            format="online",
            start_date=start,
            end_date=end,
        )
    college = users["vrskoledza"]
    _event(
        college,
        [("border_guard", "border_guard_officer", 43)],
        title="Cilvēku tirdzniecības novēršana un apkarošana. Instruktoru apmācības programma",
        event_type="instructor_training",
        format="in_person",
        start_date=date(YEAR, 1, 13),
        end_date=date(YEAR, 9, 30),
    )
    _event(
        college,
        [("border_guard", "border_guard_officer", 686)],
        title="Atkārtotas apmācības teritoriālajās pārvaldēs (instruktoru vadītas)",
        event_type="cascade_training",
        format="in_person",
        start_date=date(YEAR, 1, 20),
        end_date=date(YEAR, 9, 30),
    )
    _event(
        ctx.users["robezsardze"],
        [("border_guard", "border_guard_officer", 20)],
        title="Cilvēku tirdzniecības formas un prevencija",
        own_event=False,
        organiser="Valsts policijas koledža",
        event_type="course",
        format="online",
        start_date=date(YEAR, 3, 2),
        end_date=date(YEAR, 11, 27),
    )
    _event(
        users["tiesibsargs"],
        # The report names the participants' bodies but not how many came from each.
        [("unknown", "other", 42)],
        title="Cilvēku tirdzniecības upuru atpazīšanas procedūru pilnveidošana izraidīšanas "
        "procesā",
        event_type="seminar",
        format="online",
        start_date=date(YEAR, 11, 16),
        end_date=date(YEAR, 11, 26),
        sessions=2,
        notes="Projekts Nr.TSB/PMIF/2018/1, 3.pasākums; kopā ar Valsts robežsardzi.",
    )
    _event(
        users["pmlp"],
        [("other_state", "civil_servant", 1)],
        title="Reception",
        own_event=False,
        organiser="EASO",
        event_type="course",
        format="online",
        start_date=date(YEAR, 6, 30),
        end_date=date(YEAR, 7, 1),
    )
    coordinator = users["koordinators"]
    _save(
        coordinator,
        "training-totals",
        year=YEAR,
        participants=1137,
        source="dažāda formāta mācībās par cilvēktirdzniecības problemātikas jautājumiem "
        "piedalījās 1137 valsts un pašvaldību darbinieki",
    )
    _save(
        coordinator,
        "training-totals",
        year=YEAR - 1,
        participants=1903,
        source="(salīdzinājumam 2019.gadā – tie bija 1903 darbinieki)",
    )


def _awareness(ctx: DemoContext) -> None:
    coordinator = ctx.users["koordinators"]
    reach = {
        ("website", "visits"): {2018: 10679, 2019: 12036, 2020: 12189},
        ("facebook", "unique_views"): {2018: 88967, 2019: 126328, 2020: 83858},
    }
    for (channel, metric), by_year in reach.items():
        for year, value in by_year.items():
            _save(coordinator, "reach", year=year, channel=channel, metric=metric, value=value)
    campaign = _save(
        coordinator,
        "campaigns",
        title="CILVĒKU TIRDZNIECĪBAS UPURIS?",
        organisers="Iekšlietu ministrija, Ārlietu ministrija",
        start_date=date(YEAR, 10, 12),
        end_date=date(YEAR, 10, 31),
        description="Rudens informatīvā kampaņa; radio STAR FM 12.–16. oktobrī.",
    )
    for topic, title in [
        ("sham_marriage", "Fiktīvās laulības"),
        ("labour_exploitation", "Darbaspēka ekspluatācija"),
        ("sexual_exploitation", "Seksuālā ekspluatācija"),
    ]:
        _save(
            coordinator,
            "campaign-materials",
            campaign=campaign,
            kind="video",
            title=title,
            topic=topic,
            subtitle_languages=["lv", "en", "ru"],
        )
    _save(
        coordinator,
        "campaign-materials",
        campaign=campaign,
        kind="radio_spot",
        title="Radio STAR FM",
        topic="general",
    )
    police_campaign = _save(
        ctx.users["vp-parskats"],
        "campaigns",
        title="Vizuālie materiāli sociālajos tīklos",
        organisers="Valsts policijas Prevencijas vadības nodaļa, Iekšlietu ministrija",
        start_date=date(YEAR, 9, 1),
        end_date=date(YEAR, 9, 30),
    )
    _save(
        ctx.users["vp-parskats"],
        "campaign-materials",
        campaign=police_campaign,
        kind="social_media_post",
        title="Sociālo tīklu vizuālais materiāls",
        topic="general",
    )


def _international(ctx: DemoContext) -> None:
    coordinator = ctx.users["koordinators"]
    _save(
        coordinator,
        "contributions",
        year=YEAR,
        recipient="cbss_tf_thb",
        amount_eur=Decimal("10922"),
        purpose="CBSS TF-THB 2020. gada budžets",
    )
    flow: InternationalProject = _save(
        coordinator,
        "projects",
        code="flow",
        title="Nelikumīgu līdzekļu plūsmu un upuru atklāšanas sarežģījumi darba ekspluatācijas "
        "gadījumos (FLOW)",
        role="partner",
        lead_partner="HEUNI",
        partner_countries=["BG", "EE", "LV", "FI"],
        start_date=date(2018, 9, 1),
        end_date=date(YEAR, 12, 31),
    )
    _save(
        coordinator,
        "project-events",
        project=flow,
        code="posting_of_workers_seminar",
        title="Darbinieku nosūtīšana",
        date=date(YEAR, 9, 28),
        format="mixed",
        participants=38,
        video_views=442,
    )
    _save(
        coordinator,
        "project-events",
        project=flow,
        code="final_conference",
        title="Darbaspēka ekspluatācijas un cilvēku tirdzniecības novēršana vietējās piegādes "
        "ķēdēs",
        date=date(YEAR, 11, 26),
        format="online",
    )


def load(ctx: DemoContext) -> None:
    _detection(ctx)
    _helplines(ctx)
    _training(ctx)
    _awareness(ctx)
    _international(ctx)
    ctx.shared["activities.helplines"] = list(Helpline.objects.values_list("code", flat=True))
