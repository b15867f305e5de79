"""The justice measures (SQL aggregates) equal an independent count in Python over
randomly generated records, for every justice figure of the catalogue and for extra
figures that use the other filter values; a year without records gives 0."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from thb.accounts.models import Institution, InstitutionKind
from thb.core.registry import Number, registry
from thb.justice.figures import COURT_KINDS, section_codes
from thb.justice.models import (
    InjuredParty,
    Judgment,
    JudgmentPerson,
    NonPunishmentDecision,
    NonPunishmentOutcome,
    Outcome,
    Proceeding,
    ProceedingSection,
    PropertyArrest,
    StageEvent,
    StageKind,
    Suspect,
)
from thb.profiles import get_profile
from thb.profiles.sections.figures import FigureDef
from thb.reports.catalogue import catalogue, compute_figures

pytestmark = pytest.mark.django_db

YEARS = (2018, 2019, 2020, 2021)
SECTIONS = ["154.1", "164.2", "165", "165.1", "280", "285", "285.2"]
COUNTRIES = ["LV", "UZ", "AF", "KZ", "RU", ""]


def _day(rng: random.Random) -> date:
    return date(2018, 1, 1) + timedelta(days=rng.randrange(4 * 365))


def _generate(seed: int) -> None:
    """Proceedings with sections, parties, suspects, arrests, stages, judgments and
    non-punishment decisions, at random (created directly: this is test data)."""
    rng = random.Random(seed)
    police = Institution.objects.create(code="vp", name="VP", kind=InstitutionKind.STATE_POLICE)
    court = Institution.objects.create(code="court", name="Court", kind=InstitutionKind.COURT)
    profile = get_profile()
    forms = [f.code for f in profile.exploitation_forms] + [""]
    kinds = [k.code for k in profile.justice.property_kinds]
    bases = [s.code for s in profile.legal_sections if s.group == "non_punishment"]
    for number in range(30):
        proceeding = Proceeding.objects.create(
            number=f"P{seed}-{number}",
            institution=police,
            started_on=_day(rng),
            exploitation_form=rng.choice(forms),
        )
        codes = rng.sample(SECTIONS, rng.choice([1, 1, 2]))
        for code in codes:
            ProceedingSection.objects.create(proceeding=proceeding, code=code)
        for _ in range(rng.randrange(4)):
            InjuredParty.objects.create(
                proceeding=proceeding,
                recognised_on=_day(rng),
                sex=rng.choice(["male", "female", "unknown"]),
                citizenship=rng.choice(COUNTRIES),
            )
        suspects = [
            Suspect.objects.create(
                proceeding=proceeding,
                label=f"S{index}",
                sex=rng.choice(["male", "female", "unknown"]),
                citizenship=rng.choice(COUNTRIES),
                suspected_on=_day(rng),
            )
            for index in range(rng.randrange(4))
        ]
        for _ in range(rng.randrange(3)):
            PropertyArrest.objects.create(
                proceeding=proceeding,
                kind=rng.choice(kinds),
                arrested_on=_day(rng),
                value_eur=Decimal(rng.randrange(1, 100000)) / 4,
            )
        for _ in range(rng.randrange(7)):
            event = StageEvent.objects.create(
                proceeding=proceeding,
                kind=rng.choice(list(StageKind.values)),
                on=_day(rng),
                institution=court,
            )
            if suspects and rng.random() < 0.7:
                event.persons.set(rng.sample(suspects, rng.randrange(1, len(suspects) + 1)))
        days: set[tuple[str, date]] = set()
        for _ in range(rng.randrange(3) if suspects else 0):
            level, delivered = rng.choice(["first_instance", "appeal"]), _day(rng)
            if (level, delivered) in days:
                continue
            days.add((level, delivered))
            judgment = Judgment.objects.create(
                proceeding=proceeding, level=level, delivered_on=delivered, court=court
            )
            for suspect in rng.sample(suspects, rng.randrange(1, len(suspects) + 1)):
                convicted = rng.random() < 0.7
                months = rng.choice([None, rng.randrange(1, 120)])
                JudgmentPerson.objects.create(
                    judgment=judgment,
                    suspect=suspect,
                    outcome=Outcome.CONVICTED if convicted else Outcome.ACQUITTED,
                    section=rng.choice(codes) if convicted else "",
                    deprivation_months=months,
                    deprivation_conditional=months is not None and rng.random() < 0.6,
                    probation_months=rng.choice([None, rng.randrange(1, 36)]),
                    fine_eur=rng.choice([None, Decimal(rng.randrange(100, 9000))]),
                )
    for index in range(12):
        NonPunishmentDecision.objects.create(
            institution=police,
            legal_basis=rng.choice(bases),
            outcome=rng.choice(list(NonPunishmentOutcome.values)),
            decided_on=_day(rng),
            external_id=f"N{index}",
        )


# The independent count: plain Python over every record --------------------------------


class Oracle:
    def __init__(self) -> None:
        self.proceedings = {p.id: p for p in Proceeding.objects.all()}
        self.sections: dict[int, set[str]] = defaultdict(set)
        for row in ProceedingSection.objects.all():
            self.sections[row.proceeding_id].add(row.code)
        self.parties = list(InjuredParty.objects.all())
        self.suspects = {s.id: s for s in Suspect.objects.all()}
        self.arrests = list(PropertyArrest.objects.all())
        self.events = list(StageEvent.objects.prefetch_related("persons"))
        self.rows = list(JudgmentPerson.objects.select_related("judgment"))
        self.decisions = list(NonPunishmentDecision.objects.all())
        self.profile = get_profile()

    def under(self, figure: FigureDef) -> set[int]:
        codes = set(section_codes(figure.filter("sections")))
        return {pid for pid, found in self.sections.items() if found & codes}

    def person_matches(self, figure: FigureDef, person: Any) -> bool:
        sex, citizenship = figure.filter("sex"), figure.filter("citizenship")
        if sex is not None and person.sex != sex:
            return False
        wanted = "" if citizenship == "unknown" else citizenship
        return citizenship is None or str(person.citizenship or "") == wanted

    def first_convictions(self, figure: FigureDef, year: int) -> list[JudgmentPerson]:
        codes = set(section_codes(figure.filter("sections")))
        first: dict[int, JudgmentPerson] = {}
        for row in self.rows:
            if row.outcome != Outcome.CONVICTED or row.section not in codes:
                continue
            key = (row.judgment.delivered_on, row.judgment_id, row.id)
            known = first.get(row.suspect_id)
            if known is None or key < (known.judgment.delivered_on, known.judgment_id, known.id):
                first[row.suspect_id] = row
        return [row for row in first.values() if row.judgment.delivered_on.year == year]

    def value(self, figure: FigureDef, year: int) -> Number:
        method = getattr(self, "count_" + figure.measure.split(".")[1])
        return method(figure, year)

    def count_proceedings(self, figure: FigureDef, year: int) -> int:
        form = figure.filter("form")
        count = 0
        for pid in self.under(figure):
            proceeding = self.proceedings[pid]
            if proceeding.started_on.year != year:
                continue
            code = proceeding.exploitation_form
            headline = (self.profile.form(code).headline or code) if code else "unknown"
            count += form is None or headline == form
        return count

    def count_injured_parties(self, figure: FigureDef, year: int) -> int:
        ids = self.under(figure)
        return sum(
            1
            for party in self.parties
            if party.proceeding_id in ids
            and self.proceedings[party.proceeding_id].started_on.year == year
            and party.recognised_on.year <= year
            and self.person_matches(figure, party)
        )

    def count_persons(self, figure: FigureDef, year: int) -> int:
        if figure.filter("role") == "convicted":
            rows = self.first_convictions(figure, year)
            return sum(
                1 for row in rows if self.person_matches(figure, self.suspects[row.suspect_id])
            )
        ids = self.under(figure)
        return sum(
            1
            for suspect in self.suspects.values()
            if suspect.proceeding_id in ids
            and self.proceedings[suspect.proceeding_id].started_on.year == year
            and suspect.suspected_on.year <= year
            and self.person_matches(figure, suspect)
        )

    def count_sentences(self, figure: FigureDef, year: int) -> Number:
        penalty, value = figure.filter("penalty"), figure.filter("value", "persons")
        rows = self.first_convictions(figure, year)
        picked: list[Any] = []
        for row in rows:
            if penalty == "deprivation_conditional" and row.deprivation_months is not None:
                if row.deprivation_conditional:
                    picked.append(row.deprivation_months)
            elif penalty == "deprivation_real" and row.deprivation_months is not None:
                if not row.deprivation_conditional:
                    picked.append(row.deprivation_months)
            elif penalty == "probation" and row.probation_months is not None:
                picked.append(row.probation_months)
            elif penalty == "fine" and row.fine_eur is not None:
                picked.append(row.fine_eur)
        if value == "persons":
            return len(picked)
        if not picked:
            return 0
        if value == "min_months":
            return min(picked)
        if value == "max_months":
            return max(picked)
        total = sum(picked, Decimal(0))
        return int(total) if total == int(total) else float(total)

    def count_property_arrested(self, figure: FigureDef, year: int) -> float:
        ids, kind = self.under(figure), figure.filter("kind")
        return float(
            sum(
                (
                    arrest.value_eur
                    for arrest in self.arrests
                    if arrest.proceeding_id in ids
                    and arrest.arrested_on.year == year
                    and (kind is None or arrest.kind == kind)
                ),
                Decimal(0),
            )
        )

    def count_stage(self, figure: FigureDef, year: int) -> int:
        ids = self.under(figure)
        stage, event = figure.filter("stage"), figure.filter("event")
        persons = figure.filter("count") == "persons"
        if event in ("pending_at_start", "pending_at_end"):
            at = date(year, 1, 1) if event == "pending_at_start" else date(year + 1, 1, 1)
            received, examined = COURT_KINDS[str(stage)]
            balance: Counter[int] = Counter()
            for e in self.events:
                if e.proceeding_id in ids and e.on < at and e.kind in (received, examined):
                    balance[e.proceeding_id] += 1 if e.kind == received else -1
            return sum(1 for value in balance.values() if value > 0)
        if stage in ("sent_to_prosecution", "transferred_for_prosecution"):
            kind = stage
        else:
            received, examined = COURT_KINDS[str(stage)]
            kind = received if event == "received" else examined
        chosen = [
            e
            for e in self.events
            if e.proceeding_id in ids and e.on.year == year and e.kind == kind
        ]
        if persons:
            return len({person.id for e in chosen for person in e.persons.all()})
        if stage in ("sent_to_prosecution", "transferred_for_prosecution"):
            return len({e.proceeding_id for e in chosen})
        return len(chosen)

    def count_non_punishment(self, figure: FigureDef, year: int) -> int:
        laws = {s.code: s.law for s in self.profile.legal_sections}
        counts: Counter[str] = Counter()
        for decision in self.decisions:
            if decision.decided_on.year != year:
                continue
            if decision.outcome == NonPunishmentOutcome.PENALTY_APPLIED:
                counts["penalties_applied"] += 1
            elif laws.get(decision.legal_basis) == "administrative_liability_law":
                counts["released_administrative"] += 1
            else:
                counts["released_criminal"] += 1
        return counts[str(figure.filter("kind"))]


def _extra_figures() -> list[FigureDef]:
    """Filter values the Latvian catalogue does not use."""
    specs: list[tuple[str, str, dict[str, Any]]] = [
        ("justice.proceedings", "cases", {"sections": "related", "form": "unknown"}),
        ("justice.proceedings", "cases", {"sections": ["165", "285.2"], "form": "sexual"}),
        ("justice.injured_parties", "persons", {"sections": "related", "sex": "female"}),
        ("justice.injured_parties", "persons", {"sections": "165", "citizenship": "unknown"}),
        (
            "justice.persons",
            "persons",
            {"sections": "related", "role": "suspects", "sex": "unknown"},
        ),
        (
            "justice.persons",
            "persons",
            {"sections": "related", "role": "convicted", "citizenship": "LV"},
        ),
        (
            "justice.stage",
            "persons",
            {"sections": "related", "stage": "appeal", "event": "examined", "count": "persons"},
        ),
        ("justice.stage", "cases", {"sections": "related", "stage": "transferred_for_prosecution"}),
        (
            "justice.stage",
            "cases",
            {"sections": "related", "stage": "appeal", "event": "pending_at_end"},
        ),
        (
            "justice.stage",
            "cases",
            {"sections": "related", "stage": "cassation", "event": "examined"},
        ),
        (
            "justice.sentences",
            "months",
            {"sections": "related", "penalty": "probation", "value": "max_months"},
        ),
        (
            "justice.sentences",
            "months",
            {"sections": "related", "penalty": "deprivation_real", "value": "min_months"},
        ),
        (
            "justice.sentences",
            "eur",
            {"sections": "trafficking", "penalty": "fine", "value": "total_eur"},
        ),
        ("justice.property_arrested", "eur", {"sections": "related", "kind": "vehicle"}),
    ]
    return [
        FigureDef.model_validate(
            {
                "id": f"justice.extra.f{index}",
                "definition": {"lv": "x", "en": "x"},
                "unit": unit,
                "measure": measure,
                "filters": filters,
            }
        )
        for index, (measure, unit, filters) in enumerate(specs)
    ]


def _computed(year: int, figures: Sequence[FigureDef]) -> dict[str, Number]:
    by_measure: dict[str, list[FigureDef]] = defaultdict(list)
    for figure in figures:
        by_measure[figure.measure].append(figure)
    out: dict[str, Number] = {}
    for name, group in by_measure.items():
        out.update(registry.measure(name).compute(year, group))
    return out


def _justice_figures() -> list[FigureDef]:
    return [f for f in catalogue().values() if f.measure.startswith("justice.")]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_sql_measures_equal_an_independent_count(seed: int):
    _generate(seed)
    oracle = Oracle()
    figures = _justice_figures()
    extra = _extra_figures()
    for figure in extra:
        check = registry.measure(figure.measure).check
        assert check is not None
        check(figure)
    for year in YEARS:
        computed = {**compute_figures(year, [f.id for f in figures]), **_computed(year, extra)}
        expected = {f.id: oracle.value(f, year) for f in [*figures, *extra]}
        assert computed == expected, year


def test_the_generated_data_is_not_trivial():
    _generate(1)
    values = compute_figures(2020, [f.id for f in _justice_figures()])
    assert sum(1 for value in values.values() if value) > 20


def test_a_year_without_records_gives_zero_for_every_justice_figure():
    ids = [f.id for f in _justice_figures()]
    assert compute_figures(2020, ids) == dict.fromkeys(ids, 0)
    _generate(2)
    # Before the first record nothing is counted, pending cases included.
    assert compute_figures(2010, ids) == dict.fromkeys(ids, 0)


def test_the_justice_records_register_their_years():
    from thb.reports.years import record_years

    assert record_years() == set()
    _generate(3)
    started = {p.started_on.year for p in Proceeding.objects.all()}
    assert started <= record_years()


def test_the_measures_count_in_a_few_queries_whatever_the_records(
    django_assert_max_num_queries: Any,
):
    """One aggregate query per measure and group of sections (pending cases: one per
    figure), not one per record: 135 figures in at most 40 queries."""
    _generate(1)
    ids = [f.id for f in _justice_figures()]
    with django_assert_max_num_queries(40):
        compute_figures(2020, ids)
