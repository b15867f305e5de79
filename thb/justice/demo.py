"""Demo criminal proceedings: the 2020 report's justice figures as records.

Proceedings from 2016 on are included where 2020 counts depend on them (cases pending
in court at the start of 2020, appeals of earlier judgments). Every record goes through
the services with the user who would enter it: the investigator starts the proceeding,
the prosecutor sends it to court, the court records receipt, examination and judgment.
Numbers are synthetic."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from thb.accounts.models import Institution
from thb.core.demo import DemoContext
from thb.justice.models import Outcome, Proceeding, StageKind, Suspect
from thb.justice.services import (
    InjuredPartyData,
    NonPunishmentData,
    ProceedingData,
    PropertyArrestData,
    SentenceData,
    StageData,
    SuspectData,
    injured_party_add,
    judgment_person_record,
    non_punishment_save,
    proceeding_create,
    property_arrest_save,
    stage_add,
    suspect_save,
)
from thb.victims.models import Case, country_code

# (sex, citizenship, minor)
Person = tuple[str, str]
M_LV: Person = ("male", "LV")
F_LV: Person = ("female", "LV")


@dataclass
class Sentence:
    outcome: str = Outcome.CONVICTED
    months: int | None = None
    conditional: bool = True
    probation: int | None = None
    fine: str | None = None


@dataclass
class Spec:
    number: str
    section: str
    started: date
    investigator: str = "policija"
    form: str = ""
    sector: str = ""
    suspects: Sequence[Person] = ()
    injured_cases: Sequence[Case] = ()
    injured_counted: Sequence[tuple[str, str, date]] = ()  # sex, citizenship, recognised on
    arrests: Sequence[tuple[str, date, str]] = ()  # kind, date, EUR
    sent: date | None = None  # sent to court (all suspects)
    received: date | None = None  # first instance
    examined: date | None = None
    sentences: Sequence[Sentence] = ()  # first-instance outcome per suspect, in order
    appeal_received: date | None = None
    appeal_examined: date | None = None
    appeal_sentences: Sequence[Sentence] = ()
    cassation: date | None = None
    notes: str = field(default="Synthetic demo proceeding.")


def _number(ctx: DemoContext, year: int) -> str:
    """An 11-digit number in the Latvian form (institution, serial, year)."""
    while True:
        number = f"1181{ctx.rng.randint(10000, 99999)}{year % 100:02d}"
        if not Proceeding.objects.filter(number=number).exists():
            return number


def _thb_specs(ctx: DemoContext) -> list[Spec]:
    injured: dict[str, list[Case]] = ctx.shared.get("victims.injured_parties", {})
    specs: list[Spec] = []
    # 2020: seven new trafficking proceedings, six labour, one sexual. Three hold the
    # 15 injured parties of the victims demo; the others have none yet.
    suspects_by_citizenship = {"IN": [M_LV, M_LV], "UZ": [M_LV, ("male", "UZ")], "TJ": [M_LV]}
    arrests_by_citizenship = {
        "IN": [("real_estate", date(2020, 3, 5), "1200000.00")],
        "UZ": [
            ("vehicle", date(2020, 6, 2), "185000.00"),
            ("vehicle", date(2020, 6, 2), "42500.00"),
        ],
        "TJ": [
            ("funds", date(2020, 8, 11), "96743.00"),
            ("bank_account", date(2020, 8, 11), "190000.00"),
        ],
    }
    for number, cases in sorted(injured.items()):
        citizenship = country_code(cases[0].person.citizenship)
        sector = next(
            (f.sector for f in cases[0].forms.all() if f.form == "labour" and f.sector), ""
        )
        earliest = min((c.injured_party_on for c in cases if c.injured_party_on), default=None)
        started = date(2020, 1, 20)
        if earliest is not None and earliest < started:
            started = earliest
        specs.append(
            Spec(
                number,
                "154.1",
                started,
                form="labour",
                sector=sector,
                suspects=suspects_by_citizenship.get(citizenship, [M_LV]),
                injured_cases=cases,
                arrests=arrests_by_citizenship.get(citizenship, []),
            )
        )
    specs += [
        Spec(
            _number(ctx, 2020),
            "154.1",
            date(2020, 9, 14),
            form="labour",
            sector="agriculture",
            suspects=[F_LV],
        ),
        Spec(_number(ctx, 2020), "154.1", date(2020, 10, 2), form="labour", sector="construction"),
        Spec(
            _number(ctx, 2020), "154.1", date(2020, 11, 18), form="labour", sector="food_industry"
        ),
        Spec(_number(ctx, 2020), "154.1", date(2020, 12, 3), form="sexual"),
    ]
    conviction = Sentence(months=30, conditional=True, probation=24)
    acquittal = Sentence(outcome=Outcome.ACQUITTED)
    # Five cases pending before first-instance courts at the start of 2020; three
    # examined in 2020 (one conviction), two still pending.
    specs += [
        Spec(
            _number(ctx, 2017),
            "154.1",
            date(2017, 3, 1),
            form="labour",
            suspects=[M_LV],
            arrests=[("real_estate", date(2017, 6, 1), "54000.00")],
            sent=date(2018, 6, 1),
            received=date(2018, 6, 20),
            examined=date(2020, 3, 12),
            sentences=[conviction],
            appeal_received=date(2020, 5, 5),
        ),
        Spec(
            _number(ctx, 2017),
            "154.1",
            date(2017, 9, 1),
            form="sexual",
            suspects=[M_LV],
            sent=date(2018, 11, 5),
            received=date(2018, 11, 20),
            examined=date(2020, 6, 18),
            sentences=[acquittal],
            appeal_received=date(2020, 8, 3),
        ),
        Spec(
            _number(ctx, 2018),
            "154.1",
            date(2018, 2, 1),
            form="labour",
            suspects=[M_LV],
            sent=date(2019, 3, 1),
            received=date(2019, 3, 15),
            examined=date(2020, 10, 22),
            sentences=[acquittal],
        ),
        Spec(
            _number(ctx, 2018),
            "154.1",
            date(2018, 5, 1),
            form="sexual",
            suspects=[M_LV],
            sent=date(2019, 6, 1),
            received=date(2019, 6, 10),
        ),
        Spec(
            _number(ctx, 2018),
            "154.1",
            date(2018, 9, 1),
            form="labour",
            suspects=[M_LV],
            sent=date(2019, 10, 1),
            received=date(2019, 10, 15),
        ),
    ]
    # Sent to court in 2020: two cases against two adult men. One: two adult women
    # exploited for labour in the United Kingdom; the other: one woman, sexual, Latvia.
    # The victims have no case in THB, so they are counted persons.
    specs += [
        Spec(
            _number(ctx, 2019),
            "154.1",
            date(2019, 4, 1),
            form="labour",
            suspects=[M_LV],
            injured_counted=[
                ("female", "LV", date(2019, 5, 6)),
                ("female", "LV", date(2019, 5, 6)),
            ],
            sent=date(2020, 2, 17),
            received=date(2020, 3, 2),
        ),
        Spec(
            _number(ctx, 2019),
            "154.1",
            date(2019, 8, 1),
            form="sexual",
            suspects=[M_LV],
            injured_counted=[("female", "LV", date(2019, 8, 20))],
            sent=date(2020, 6, 9),
            received=date(2020, 6, 25),
        ),
    ]
    # Convicted at first instance in 2019, acquitted on appeal in 2020; the prosecutor
    # appealed in cassation the same year.
    specs.append(
        Spec(
            _number(ctx, 2016),
            "154.1",
            date(2016, 5, 1),
            form="labour",
            suspects=[M_LV],
            sent=date(2017, 9, 1),
            received=date(2017, 9, 20),
            examined=date(2019, 4, 11),
            sentences=[Sentence(months=36, conditional=False)],
            appeal_received=date(2019, 6, 3),
            appeal_examined=date(2020, 9, 29),
            appeal_sentences=[acquittal],
            cassation=date(2020, 11, 16),
        )
    )
    return specs


def _related_specs(ctx: DemoContext) -> list[Spec]:
    specs: list[Spec] = []
    day = date(2020, 1, 1)

    def later(days: int) -> date:
        return day + timedelta(days=days)

    # KL 164(2): one case sent to court in 2020.
    specs.append(
        Spec(_number(ctx, 2019), "164.2", date(2019, 2, 1), suspects=[M_LV], sent=later(104))
    )
    # KL 165: six started in 2020; seven sent to court, five examined with nine convicted
    # (eight men, one woman, all Latvian).
    for index in range(6):
        specs.append(Spec(_number(ctx, 2020), "165", later(30 + index * 50), suspects=[M_LV]))
    c = Sentence
    sentences_165 = [
        [c(months=12), c(months=72)],
        [c(months=24, fine="7400.00"), c(months=24, conditional=False, probation=24)],
        [c(months=36), c(months=18)],
        [c(months=48), c(months=30)],
        [c(months=12)],
    ]
    people_165 = [[M_LV, M_LV], [M_LV, F_LV], [M_LV, M_LV], [M_LV, M_LV], [M_LV]]
    for index in range(7):
        examined = index < 5
        specs.append(
            Spec(
                _number(ctx, 2019),
                "165",
                date(2019, 3, 1) + timedelta(days=index * 20),
                suspects=people_165[index] if examined else [M_LV],
                sent=later(20 + index * 10),
                received=later(35 + index * 10) if examined else None,
                examined=later(150 + index * 20) if examined else None,
                sentences=sentences_165[index] if examined else (),
            )
        )
    # KL 165.1: one started in 2020; one sent to court and examined (acquittal); three
    # first-instance convictions of 2019 upheld on appeal in 2020 (not counted again).
    specs.append(Spec(_number(ctx, 2020), "165.1", later(200), suspects=[M_LV]))
    specs.append(
        Spec(
            _number(ctx, 2019),
            "165.1",
            date(2019, 10, 1),
            suspects=[M_LV],
            sent=later(60),
            received=later(75),
            examined=later(250),
            sentences=[Sentence(outcome=Outcome.ACQUITTED)],
        )
    )
    for index in range(3):
        upheld = [Sentence(months=12 + index * 6)]
        specs.append(
            Spec(
                _number(ctx, 2017),
                "165.1",
                date(2017, 4, 1) + timedelta(days=index * 30),
                suspects=[M_LV],
                sent=date(2018, 3, 1),
                received=date(2018, 3, 20),
                examined=date(2019, 2, 5) + timedelta(days=index * 10),
                sentences=upheld,
                appeal_received=date(2019, 5, 6),
                appeal_examined=later(120 + index * 30),
                appeal_sentences=upheld,
            )
        )
    # KL 285.2: eight started in 2020 (five by the Border Guard); four sent to court,
    # three examined with six convicted: 3 men and 3 women; LV 2, AF 2, KZ 1, RU 1.
    for index in range(8):
        specs.append(
            Spec(
                _number(ctx, 2020),
                "285.2",
                later(15 + index * 40),
                investigator="robezsardze-pd" if index < 5 else "policija",
                suspects=[("male", "IQ")],
            )
        )
    people_285 = [
        [M_LV, F_LV],
        [("male", "AF"), ("female", "AF")],
        [("male", "RU"), ("female", "KZ")],
        [("male", "UA")],
    ]
    for index in range(4):
        examined = index < 3
        specs.append(
            Spec(
                _number(ctx, 2019),
                "285.2",
                date(2019, 6, 1) + timedelta(days=index * 15),
                investigator="robezsardze-pd",
                suspects=people_285[index],
                sent=later(40 + index * 30),
                received=later(55 + index * 30) if examined else None,
                examined=later(180 + index * 20) if examined else None,
                sentences=[Sentence(months=m) for m in ((3, 8), (4, 6), (5, 8))[index]]
                if examined
                else (),
            )
        )
    return specs


def _sentence_data(sentence: Sentence, section: str) -> SentenceData:
    if sentence.outcome == Outcome.ACQUITTED:
        return SentenceData(outcome=Outcome.ACQUITTED)
    return SentenceData(
        outcome=Outcome.CONVICTED,
        section=section,
        deprivation_months=sentence.months,
        deprivation_conditional=sentence.conditional and sentence.months is not None,
        probation_months=sentence.probation,
        fine_eur=Decimal(sentence.fine) if sentence.fine else None,
    )


def _build(ctx: DemoContext, spec: Spec) -> Proceeding:
    investigator = ctx.users[spec.investigator]
    prosecutor = ctx.users["prokurors"]
    court_user = ctx.users["tiesa"]
    prosecutors: Institution = ctx.institutions["prokuratura"]
    court: Institution = ctx.institutions["tiesas"]
    proceeding = proceeding_create(
        actor=investigator,
        data=ProceedingData(
            number=spec.number,
            sections=[spec.section],
            started_on=spec.started,
            exploitation_form=spec.form,
            sector=spec.sector,
            notes=spec.notes,
        ),
    )
    suspects: list[Suspect] = []
    for index, (sex, citizenship) in enumerate(spec.suspects):
        suspects.append(
            suspect_save(
                actor=investigator,
                proceeding=proceeding,
                data=SuspectData(
                    label=chr(ord("A") + index),
                    sex=sex,
                    citizenship=citizenship,
                    suspected_on=spec.started + timedelta(days=10 + index),
                    accused_on=spec.sent - timedelta(days=30) if spec.sent else None,
                ),
            )
        )
    for case in spec.injured_cases:
        injured_party_add(
            actor=investigator,
            proceeding=proceeding,
            data=InjuredPartyData(
                recognised_on=case.injured_party_on or spec.started + timedelta(days=21), case=case
            ),
        )
    for sex, citizenship, on in spec.injured_counted:
        injured_party_add(
            actor=investigator,
            proceeding=proceeding,
            data=InjuredPartyData(recognised_on=on, sex=sex, citizenship=citizenship),
        )
    for kind, on, value in spec.arrests:
        property_arrest_save(
            actor=investigator,
            proceeding=proceeding,
            data=PropertyArrestData(kind=kind, arrested_on=on, value_eur=Decimal(value)),
        )
    if spec.sent is None:
        return proceeding
    stage_add(
        actor=investigator,
        proceeding=proceeding,
        data=StageData(
            kind=StageKind.TRANSFERRED_FOR_PROSECUTION,
            on=max(spec.started, spec.sent - timedelta(days=40)),
            institution=prosecutors,
        ),
    )
    stage_add(
        actor=prosecutor,
        proceeding=proceeding,
        data=StageData(
            kind=StageKind.SENT_TO_PROSECUTION, on=spec.sent, institution=court, persons=suspects
        ),
    )

    def court_stage(kind: str, on: date | None) -> None:
        if on is not None:
            stage_add(
                actor=court_user,
                proceeding=proceeding,
                data=StageData(kind=kind, on=on, institution=court),
            )

    def judgment(level: str, on: date | None, sentences: Sequence[Sentence]) -> None:
        for suspect, sentence in zip(suspects, sentences, strict=False):
            assert on is not None
            judgment_person_record(
                actor=court_user,
                proceeding=proceeding,
                level=level,
                delivered_on=on,
                suspect=suspect,
                sentence=_sentence_data(sentence, spec.section),
                court=court,
            )

    court_stage(StageKind.FIRST_INSTANCE_RECEIVED, spec.received)
    court_stage(StageKind.FIRST_INSTANCE_EXAMINED, spec.examined)
    judgment("first_instance", spec.examined, spec.sentences)
    court_stage(StageKind.APPEAL_RECEIVED, spec.appeal_received)
    court_stage(StageKind.APPEAL_EXAMINED, spec.appeal_examined)
    judgment("appeal", spec.appeal_examined, spec.appeal_sentences)
    court_stage(StageKind.CASSATION_RECEIVED, spec.cassation)
    return proceeding


def load(ctx: DemoContext) -> None:
    for spec in [*_thb_specs(ctx), *_related_specs(ctx)]:
        _build(ctx, spec)
    # 2020: a victim recognised by a service provider was released from administrative
    # liability for living without a valid identity document; no victim was penalised.
    non_punishment_save(
        actor=ctx.users["policija"],
        data=NonPunishmentData(
            legal_basis="ALL.11",
            outcome="released",
            decided_on=date(2020, 10, 7),
            offence="Uzturēšanās bez derīga personu apliecinoša dokumenta",
        ),
    )
