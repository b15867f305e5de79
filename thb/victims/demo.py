"""Synthetic victim records for 2019-2021 whose 2020 statistics equal the published
2020 report (shared/reference/2020-figures.yaml). Every record goes through the same
services a caseworker uses, so the demo also exercises validation, timeline and audit.
Names are generated from common name lists and random; they identify nobody."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from thb.core.demo import DemoContext
from thb.victims.models import Case, DecisionKind
from thb.victims.services import (
    ExploitationProfile,
    Identity,
    Intake,
    VictimProfile,
    case_create,
    case_record_injured_party,
    case_route,
    decision_record,
)

GIVEN = {
    "LV": {
        "male": ["Jānis", "Andris", "Māris", "Edgars", "Roberts", "Artūrs"],
        "female": ["Anna", "Laura", "Ilze", "Kristīne", "Elīna", "Santa", "Liene"],
    },
    "TJ": {"male": ["Rustam", "Farrukh", "Bahrom", "Dilshod", "Sherzod", "Nodir"]},
    "UZ": {"male": ["Aziz", "Jasur", "Otabek", "Rustam", "Sardor", "Ulugbek"]},
    "IN": {"male": ["Arjun", "Rahul", "Vikram", "Sandeep", "Amit", "Manoj"]},
    "VN": {"male": ["Minh", "Tuan", "Hung", "Duc", "Quang"]},
}
SURNAMES = {
    "LV": {
        "male": ["Ozols", "Kalniņš", "Liepiņš", "Bērziņš", "Zariņš"],
        "female": ["Ozola", "Kalniņa", "Liepiņa", "Bērziņa", "Zariņa"],
    },
    "TJ": {"male": ["Rahimov", "Saidov", "Nazarov", "Karimov"]},
    "UZ": {"male": ["Yusupov", "Tursunov", "Ergashev", "Aliyev"]},
    "IN": {"male": ["Sharma", "Singh", "Patel", "Kumar"]},
    "VN": {"male": ["Nguyen", "Tran", "Le", "Pham"]},
}

# Proceedings in which 15 victims were recognised as injured parties in 2020.
PROCEEDING_IN = "11816002120"
PROCEEDING_UZ = "11816003220"
PROCEEDING_TJ = "11816004620"


@dataclass
class Spec:
    sex: str
    citizenship: str
    forms: tuple[tuple[str, str], ...]
    place: tuple[str, str]
    minor: bool = False
    owner: str = "marta"
    injured_party: str = ""
    # Vulnerability and modus operandi (the report's trends and risk groups).
    vulnerabilities: tuple[str, ...] = ()
    platform: str = ""
    route: str = ""
    transit: tuple[str, ...] = ()


def _specs_2020() -> list[Spec]:
    """The 48 victims identified in 2020, in the report's breakdowns."""
    specs: list[Spec] = []
    labour = (("labour", "construction"),)
    for i in range(18):  # Tajik men, construction, Riga
        specs.append(
            Spec(
                "male",
                "TJ",
                labour,
                ("LV", "riga"),
                owner="drosa-maja",
                injured_party=PROCEEDING_TJ if i < 3 else "",
            )
        )
    for i in range(7):  # Indian men, food industry
        specs.append(
            Spec(
                "male",
                "IN",
                (("labour", "food_industry"),),
                ("LV", "riga" if i < 5 else "latgale"),
                owner="drosa-maja",
                injured_party=PROCEEDING_IN,
            )
        )
    for _ in range(4):  # Uzbek men, construction, Riga
        specs.append(Spec("male", "UZ", labour, ("LV", "riga"), owner="drosa-maja"))
    for _ in range(2):  # Uzbek men, agriculture, Vidzeme
        specs.append(
            Spec(
                "male",
                "UZ",
                (("labour", "agriculture"),),
                ("LV", "vidzeme"),
                owner="drosa-maja",
                injured_party=PROCEEDING_UZ,
            )
        )
    specs += [
        Spec("male", "LV", (("labour", "cleaning"),), ("GB", "")),
        Spec("male", "LV", (("labour", ""),), ("RU", "")),
        Spec("male", "LV", (("labour", ""),), ("LV", "region_unknown")),
    ]
    for place in [
        ("NL", ""),
        ("LV", "latgale"),
        ("LV", "latgale"),
        ("LV", "kurzeme"),
        ("US", ""),
        ("LV", "latgale"),
    ]:
        specs.append(Spec("female", "LV", (("sexual", ""),), place))
    specs += [
        Spec("female", "LV", (("sexual", ""), ("labour", "")), ("RS", "")),
        Spec("female", "LV", (("sexual", ""), ("pornography", "")), ("LV", "latgale")),
        Spec("female", "LV", (("forced_sham_marriage", ""),), ("RO", "")),
        Spec("female", "LV", (("labour", "tourism"),), ("BR", "")),
        Spec("female", "LV", (("labour", ""),), ("LV", "region_unknown")),
        Spec("female", "LV", (("labour", ""), ("drug_transport", "")), ("LV", "kurzeme")),
        Spec("female", "LV", (("sexual", ""),), ("LV", "latgale"), minor=True),
        Spec("female", "LV", (("sexual", ""),), ("LV", "latgale"), minor=True),
    ]
    return specs


# The 2020 trends (the seed's "Cilvēku tirdzniecības tendences" and risk groups), by the
# victim's position in _specs_2020(); the other fields of those victims are unchanged.
TRENDS_2020: dict[int, dict[str, Any]] = {
    # Tajik men in construction: deceived about pay and conditions; ten came on work
    # visas issued by Poland (third-country nationals on another EU state's visa).
    **{
        i: {
            "vulnerabilities": ("no_language", "unemployment") if i % 2 else ("no_language",),
            "route": "other_eu_state_work_visa" if i < 10 else "national_work_visa",
            "transit": ("PL",) if i < 10 else (),
        }
        for i in range(18)
    },
    # Indian men in the food industry: Latvian work visas, no Latvian.
    **{
        i: {"vulnerabilities": ("no_language",), "route": "national_work_visa"}
        for i in range(18, 25)
    },
    # Uzbek men in construction: fake posting of workers through another EU state.
    **{
        i: {
            "vulnerabilities": ("no_language", "unemployment"),
            "route": "fake_posting",
            "transit": ("LT",),
        }
        for i in range(25, 29)
    },
    **{i: {"vulnerabilities": ("no_language",), "route": "national_work_visa"} for i in (29, 30)},
    # Latvian men: abroad by land to the UK; in Russia; in Latvia, recruited through a
    # mental disorder and unemployment.
    31: {"vulnerabilities": ("unemployment",), "transit": ("LT", "PL", "DE", "NL")},
    32: {"vulnerabilities": ("addiction", "homelessness")},
    33: {"vulnerabilities": ("mental_disorder", "unemployment")},
    # Latvian women, sexual exploitation.
    34: {"vulnerabilities": ("unemployment",), "transit": ("LT", "PL", "DE")},
    35: {"vulnerabilities": ("addiction",)},
    36: {"vulnerabilities": ("low_education", "previous_victimisation")},
    37: {"vulnerabilities": ("low_education", "unemployment")},
    39: {"vulnerabilities": ("low_education", "addiction")},
    # Recruited online: a social network, an adult video portal (sexual content, pay
    # withheld), a sham marriage, a job advertisement.
    40: {"vulnerabilities": ("low_education",), "platform": "social_network"},
    41: {"vulnerabilities": ("low_education",), "platform": "adult_video_portal"},
    42: {"platform": "social_network", "transit": ("LT", "PL", "DE")},
    43: {"vulnerabilities": ("unemployment",), "platform": "job_portal"},
    # Labour in Latvia through a mental disorder; labour and drug transport through an
    # addiction.
    44: {"vulnerabilities": ("mental_disorder", "disability")},
    45: {"vulnerabilities": ("addiction", "unemployment")},
    46: {"vulnerabilities": ("previous_victimisation",)},
}


def _spread(counts: dict[str, int]) -> list[str]:
    return [code for code, n in counts.items() for _ in range(n)]


def _identity(ctx: DemoContext, spec: Spec, age: int, on: date) -> Identity:
    names = GIVEN.get(spec.citizenship, GIVEN["LV"])
    surnames = SURNAMES.get(spec.citizenship, SURNAMES["LV"])
    given = ctx.rng.choice(names.get(spec.sex, names["male"]))
    surname = ctx.rng.choice(surnames.get(spec.sex, surnames["male"]))
    birth = on - timedelta(days=age * 365 + ctx.rng.randint(0, 300))
    return Identity(
        given_names=given,
        surname=surname,
        date_of_birth=birth,
        phone=f"+371 2{ctx.rng.randint(1000000, 9999999)}",
    )


def _record(
    ctx: DemoContext,
    spec: Spec,
    *,
    intake_on: date,
    decided_on: date | None,
    recognised: bool,
    recruitment: str,
    education: str,
    referral: str,
    kind: str = DecisionKind.COMMISSION,
    identified_abroad_in: str = "",
) -> Case:
    owner_user = ctx.users["marta" if spec.owner == "marta" else "drosamaja"]
    age = ctx.rng.randint(15, 17) if spec.minor else ctx.rng.randint(19, 56)
    intake = Intake(
        intake_date=intake_on,
        referral_channel=referral,
        victim=VictimProfile(
            sex=spec.sex,
            citizenship=spec.citizenship,
            age_at_identification=age,
            education=education,
            vulnerabilities=spec.vulnerabilities,
        ),
        identity=_identity(ctx, spec, age, intake_on),
        exploitation=ExploitationProfile(
            forms=spec.forms,
            places=(spec.place,),
            recruitment_method=recruitment,
            recruitment_platform=spec.platform,
            migration_route=spec.route,
            transit=spec.transit,
            exploitation_start=intake_on - timedelta(days=ctx.rng.randint(60, 400)),
            exploitation_end=intake_on - timedelta(days=ctx.rng.randint(1, 30)),
        ),
        screening_notes="Izvērtētas cilvēku tirdzniecības pazīmes (sintētisks ieraksts).",
        identified_abroad_in=identified_abroad_in,
    )
    case = case_create(actor=owner_user, intake=intake)
    if spec.injured_party or kind == DecisionKind.PROCESS_DIRECTOR:
        case_route(
            actor=owner_user,
            case=case,
            submitted_to_commission_on=None,
            proceeding_institution=ctx.institutions["vp"],
            proceeding_reference=spec.injured_party or f"1181600{ctx.rng.randint(1000, 9999)}20",
        )
    if decided_on is None:
        return case
    criteria = ["act_recruitment_transport", "means_deception", "purpose_exploitation"]
    if spec.minor:
        criteria = ["act_recruitment_transport", "minor_no_means_required", "purpose_exploitation"]
    if kind == DecisionKind.PROCESS_DIRECTOR:
        decision_record(
            actor=ctx.users["policija"],
            case=case,
            kind=kind,
            decided_on=decided_on,
            recognised=recognised,
            proceeding_reference=case.proceeding_reference,
            reasons="" if recognised else "Cilvēku tirdzniecības pazīmes netika konstatētas.",
        )
    else:
        decision_record(
            actor=owner_user if spec.owner != "marta" else ctx.users["komisija"],
            case=case,
            kind=kind,
            decided_on=decided_on,
            recognised=recognised,
            criteria_met=criteria if recognised else [],
            members="Sociālais darbinieks\nPsihologs\nJurists",
            reasons="" if recognised else "Neatbilst 2. pielikuma kritērijiem.",
        )
    return case


def _recognised_series(
    ctx: DemoContext,
    specs: list[Spec],
    *,
    first_intake: date,
    every_days: int,
    decided_after_days: int,
    recruitment: str,
) -> list[Case]:
    """Victims of another year, recognised some days after their intake."""
    cases = []
    for index, spec in enumerate(specs):
        on = first_intake + timedelta(days=index * every_days)
        cases.append(
            _record(
                ctx,
                spec,
                intake_on=on,
                decided_on=on + timedelta(days=decided_after_days),
                recognised=True,
                recruitment=recruitment,
                education="secondary",
                referral="self",
            )
        )
    return cases


def load(ctx: DemoContext) -> None:
    rng = ctx.rng
    specs = [
        Spec(**{**spec.__dict__, **TRENDS_2020.get(index, {})})
        for index, spec in enumerate(_specs_2020())
    ]
    recruitment = _spread({"acquaintance": 26, "employment_agency": 5})  # 31 foreign men
    recruitment += _spread({"acquaintance": 9, "internet": 4, "family_member": 1, "unknown": 1})
    recruitment += ["family_member", "family_member"]  # the two minors
    education = _spread(
        {
            "higher": 7,
            "incomplete_higher": 1,
            "secondary": 27,
            "basic": 2,
            "incomplete_basic": 5,
            "unknown": 4,
        }
    )
    education += ["incomplete_basic", "incomplete_basic"]  # the two minors
    referral = _spread(
        {
            "self": 28,
            "state_police": 9,
            "support_person": 5,
            "ngo_latvia": 2,
            "ngo_abroad": 1,
            "foreign_ministry": 1,
        }
    )
    referral += ["social_service", "social_service"]  # the two minors
    # The two found abroad (a referral from an NGO abroad, a consular report) are the
    # women exploited in Serbia and Brazil: identified there and brought home
    # (thb/returns/demo.py). Counts by channel are unchanged.
    for abroad, slot in (("ngo_abroad", 40), ("foreign_ministry", 43)):
        here = referral.index(abroad)
        referral[here], referral[slot] = referral[slot], referral[here]
    recognised: list[Case] = []
    injured: dict[str, list[Case]] = {}
    everyone: list[Case] = []
    for index, spec in enumerate(specs):
        intake_on = date(2020, 1, 8) + timedelta(days=index * 6)
        decided_on = intake_on + timedelta(days=rng.randint(7, 21))
        kind = (
            DecisionKind.PROCESS_DIRECTOR
            if referral[index] == "state_police" and not spec.minor and index % 2 == 0
            else DecisionKind.COMMISSION
        )
        case = _record(
            ctx,
            spec,
            intake_on=intake_on,
            decided_on=decided_on,
            recognised=True,
            recruitment=recruitment[index],
            education=education[index],
            referral=referral[index],
            kind=kind,
            identified_abroad_in=(
                spec.place[0] if referral[index] in ("ngo_abroad", "foreign_ministry") else ""
            ),
        )
        recognised.append(case)
        everyone.append(case)
        if spec.injured_party:
            case_record_injured_party(
                actor=ctx.users["policija"],
                case=case,
                recognised_on=decided_on + timedelta(days=14),
                proceeding_reference=spec.injured_party,
            )
            injured.setdefault(spec.injured_party, []).append(case)

    # Assessed in 2020 but not recognised.
    for spec, on in [
        (
            Spec("male", "UZ", (("labour", "construction"),), ("LV", "riga"), owner="drosa-maja"),
            date(2020, 5, 4),
        ),
        (Spec("female", "LV", (("forced_sham_marriage", ""),), ("CY", "")), date(2020, 9, 1)),
    ]:
        everyone.append(
            _record(
                ctx,
                spec,
                intake_on=on,
                decided_on=on + timedelta(days=10),
                recognised=False,
                recruitment="acquaintance",
                education="secondary",
                referral="self",
            )
        )

    # Identified in 2019; three of them became injured parties in 2020.
    for index in range(3):
        spec = Spec(
            "male",
            "UZ",
            (("labour", "agriculture"),),
            ("LV", "zemgale"),
            owner="drosa-maja",
            injured_party=PROCEEDING_UZ,
        )
        on = date(2019, 9, 2) + timedelta(days=index * 5)
        case = _record(
            ctx,
            spec,
            intake_on=on,
            decided_on=on + timedelta(days=12),
            recognised=True,
            recruitment="employment_agency",
            education="secondary",
            referral="ngo_latvia",
        )
        case_record_injured_party(
            actor=ctx.users["policija"],
            case=case,
            recognised_on=date(2020, 3, 10),
            proceeding_reference=PROCEEDING_UZ,
        )
        injured[PROCEEDING_UZ].append(case)
        everyone.append(case)
    everyone += _recognised_series(
        ctx,
        [
            Spec("female", "LV", (("sexual", ""),), ("DE", "")),
            Spec("female", "LV", (("forced_sham_marriage", ""),), ("IE", "")),
            Spec("male", "LV", (("labour", "forestry"),), ("SE", "")),
            Spec("female", "LV", (("sexual", ""),), ("LV", "riga"), minor=True),
        ],
        first_intake=date(2019, 2, 11),
        every_days=40,
        decided_after_days=15,
        recruitment="acquaintance",
    )

    # 2021: decided cases and intakes still waiting for a decision.
    everyone += _recognised_series(
        ctx,
        [
            Spec("male", "UA", (("labour", "construction"),), ("LV", "riga"), owner="drosa-maja"),
            Spec("female", "LV", (("sexual", ""),), ("GB", "")),
            Spec("male", "LV", (("labour", "agriculture"),), ("NO", "")),
        ],
        first_intake=date(2021, 1, 18),
        every_days=30,
        decided_after_days=9,
        recruitment="internet",
    )
    for spec, on in [
        (Spec("female", "LV", (("sexual", ""),), ("LV", "riga")), date(2020, 12, 14)),
        (
            Spec("male", "MD", (("labour", "construction"),), ("LV", "riga"), owner="drosa-maja"),
            date(2021, 3, 1),
        ),
    ]:
        everyone.append(
            _record(
                ctx,
                spec,
                intake_on=on,
                decided_on=None,
                recognised=False,
                recruitment="unknown",
                education="unknown",
                referral="self",
            )
        )

    ctx.shared["victims.abroad"] = [case for case in everyone if case.identified_abroad_in]
    # The transit route through Latvia (Vietnam -> Russia -> Latvia -> the United
    # Kingdom): a potential victim stopped at the border, awaiting assessment. Drawn
    # with the generator's state restored afterwards, so that the other apps' demo
    # records (drawn after these) stay as they were.
    state = rng.getstate()
    _record(
        ctx,
        Spec(
            "male",
            "VN",
            (("labour", ""),),
            ("GB", ""),
            owner="drosa-maja",
            vulnerabilities=("no_language",),
            route="irregular_border_crossing",
            transit=("RU", "LV"),
        ),
        intake_on=date(2021, 2, 15),
        decided_on=None,
        recognised=False,
        recruitment="acquaintance",
        education="unknown",
        referral="border_guard",
    )
    rng.setstate(state)

    ctx.shared["victims.recognised"] = recognised
    ctx.shared["victims.injured_parties"] = injured
    ctx.shared["victims.all"] = everyone


def summary(ctx: DemoContext) -> dict[str, Any]:
    return {"cases": len(ctx.shared.get("victims.all", []))}
