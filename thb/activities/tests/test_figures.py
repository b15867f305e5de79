"""The activities measures (SQL aggregates) equal an independent count in Python over
randomly generated records and aggregate returns, for every activities figure of the
catalogue; a year without records gives 0; aggregate returns are marked."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from thb.accounts.models import Institution, InstitutionKind
from thb.activities.figures import MEASURE_PREFIX, aggregate_returns
from thb.activities.models import (
    AggregateBasis,
    Campaign,
    CampaignMaterial,
    Contribution,
    DetectionAggregate,
    DetectionRecord,
    Helpline,
    HelplineAggregate,
    HelplineContact,
    InternationalProject,
    ProjectEvent,
    ReachFigure,
    TrainingEvent,
    TrainingParticipation,
    TrainingTotal,
)
from thb.core.registry import Number
from thb.profiles import get_profile
from thb.profiles.sections.figures import FigureDef
from thb.reports.catalogue import catalogue, compute_figures

pytestmark = pytest.mark.django_db

YEARS = (2019, 2020, 2021)
# The institutions the catalogue's filters name, and one it does not.
INSTITUTIONS = [
    ("vbtai", InstitutionKind.CHILDRENS_RIGHTS),
    ("vrs", InstitutionKind.BORDER_GUARD),
    ("vdi", InstitutionKind.LABOUR_INSPECTORATE),
    ("vp", InstitutionKind.STATE_POLICE),
    ("pmlp", InstitutionKind.MIGRATION_OFFICE),
    ("am", InstitutionKind.CONSULAR),
    ("riga-sd", InstitutionKind.MUNICIPALITY),
    ("vp-koledza", InstitutionKind.TRAINING),
    ("lpmc", InstitutionKind.TRAINING),
    ("ltmc", InstitutionKind.TRAINING),
    ("vrs-koledza", InstitutionKind.TRAINING),
    ("tiesibsargs", InstitutionKind.OTHER),
    ("iem", InstitutionKind.MINISTRY),
]
HELPLINES = ["drosa_maja_24_7", "centrs_marta", "vbtai_116111", "victim_support_116006"]


def _day(rng: random.Random) -> date:
    return date(2019, 1, 1) + timedelta(days=rng.randrange(3 * 365))


def _generate(seed: int) -> None:
    rng = random.Random(seed)
    activities = get_profile().activities
    institutions = [
        Institution.objects.create(code=code, name=code, kind=kind) for code, kind in INSTITUTIONS
    ]
    legal = [b.code for b in activities.legal_bases] + ["285", "285.1", "285.2", ""]
    for _ in range(150):
        DetectionRecord.objects.create(
            institution=rng.choice(institutions),
            kind=rng.choice(activities.codes("detection_kinds")),
            date=_day(rng),
            count=rng.randrange(1, 20),
            place_type=rng.choice([*activities.codes("place_types"), ""]),
            legal_basis=rng.choice(legal),
            thb_related=rng.random() < 0.3,
        )
    for institution in institutions:
        for year in YEARS:
            for kind in rng.sample(activities.codes("detection_kinds"), 2):
                DetectionAggregate.objects.create(
                    institution=institution,
                    kind=kind,
                    year=year,
                    value=rng.randrange(100, 1000),
                    thb_related_value=rng.choice([None, rng.randrange(10)]),
                    basis=rng.choice(list(AggregateBasis.values)),
                    source=f"wording {kind} {year}",
                )
    operator = institutions[0]
    lines = [
        Helpline.objects.create(institution=operator, code=code, name=code, number="1")
        for code in HELPLINES
    ]
    for _ in range(120):
        HelplineContact.objects.create(
            institution=operator,
            helpline=rng.choice(lines),
            received_at=timezone.make_aware(datetime.combine(_day(rng), datetime.min.time()))
            + timedelta(hours=rng.randrange(24)),
            channel=rng.choice(activities.codes("helpline_channels")),
            thb_related=rng.random() < 0.4,
        )
    for _ in range(6):
        start = _day(rng)
        HelplineAggregate.objects.create(
            institution=operator,
            helpline=rng.choice(lines),
            period_start=start,
            period_end=start + timedelta(days=30),
            channel=rng.choice([*activities.codes("helpline_channels"), ""]),
            contacts=rng.randrange(50, 500),
            thb_related=rng.randrange(5),
        )
    trainers = institutions[7:12]
    for index in range(25):
        start = _day(rng)
        event = TrainingEvent.objects.create(
            institution=rng.choice(trainers),
            title=f"T{index}",
            own_event=rng.random() < 0.6,
            event_type=rng.choice(activities.codes("training_event_types")),
            format=rng.choice(activities.codes("training_formats")),
            start_date=start,
            end_date=start,
            sessions=rng.randrange(1, 6),
        )
        pairs = {
            (
                rng.choice(activities.codes("participant_groups")),
                rng.choice(activities.codes("professions")),
            )
            for _ in range(rng.randrange(1, 5))
        }
        for group, profession in pairs:
            TrainingParticipation.objects.create(
                institution=event.institution,
                event=event,
                participant_group=group,
                profession=profession,
                count=rng.randrange(1, 40),
            )
    TrainingTotal.objects.create(institution=institutions[-1], year=2019, participants=1903)
    for year in YEARS:
        for channel, metric in (("website", "visits"), ("facebook", "unique_views")):
            ReachFigure.objects.create(
                institution=institutions[-1],
                year=year,
                channel=channel,
                metric=metric,
                value=rng.randrange(1000, 100000),
            )
        Contribution.objects.create(
            institution=institutions[-1],
            year=year,
            recipient=rng.choice(activities.codes("international_bodies")),
            amount_eur=Decimal(rng.randrange(100, 20000)) / 2,
        )
    for index in range(6):
        campaign = Campaign.objects.create(
            institution=rng.choice(institutions), title=f"C{index}", start_date=_day(rng)
        )
        for number in range(rng.randrange(4)):
            CampaignMaterial.objects.create(
                institution=campaign.institution,
                campaign=campaign,
                kind=rng.choice(activities.codes("campaign_material_kinds")),
                title=f"M{number}",
            )
    project = InternationalProject.objects.create(
        institution=institutions[-1],
        code="flow",
        title="FLOW",
        role="partner",
        start_date=_day(rng),
    )
    for code in ["posting_of_workers_seminar", "final_conference", "other"]:
        ProjectEvent.objects.create(
            institution=institutions[-1],
            project=project,
            code=code,
            title=code,
            date=_day(rng),
            format="in_person",
            participants=rng.choice([None, rng.randrange(5, 60)]),
            video_views=rng.choice([None, rng.randrange(50, 900)]),
        )


# The independent count -----------------------------------------------------------------


def _institution_ok(figure: FigureDef, institution: Institution) -> bool:
    codes: Any = figure.filter("institutions")
    kinds: Any = figure.filter("institution_kinds")
    return (not codes or institution.code in codes) and (not kinds or institution.kind in kinds)


def _eq(figure: FigureDef, name: str, value: Any) -> bool:
    wanted = figure.filter(name)
    return wanted is None or wanted == value


def _number(total: Any) -> Number:
    if isinstance(total, Decimal):
        return int(total) if total == int(total) else float(total)
    return int(total)


def _expected(figure: FigureDef, year: int) -> Number:
    year += figure.year_offset
    measure = figure.measure.removeprefix(MEASURE_PREFIX)
    if measure == "detection":
        total = 0
        for r in DetectionRecord.objects.select_related("institution"):
            bases: Any = figure.filter("legal_bases")
            if (
                r.date.year == year
                and _institution_ok(figure, r.institution)
                and _eq(figure, "kind", r.kind)
                and _eq(figure, "place_type", r.place_type)
                and _eq(figure, "thb_related", r.thb_related)
                and (not bases or r.legal_basis in bases)
            ):
                total += r.count
        if not (figure.filter("place_type") or figure.filter("legal_bases")):
            for a in DetectionAggregate.objects.select_related("institution"):
                if (
                    a.year == year
                    and _institution_ok(figure, a.institution)
                    and _eq(figure, "kind", a.kind)
                ):
                    total += (a.thb_related_value or 0) if figure.filter("thb_related") else a.value
        return total
    if measure == "helpline_contacts":
        total = 0
        for c in HelplineContact.objects.select_related("helpline"):
            if (
                timezone.localtime(c.received_at).year == year
                and _eq(figure, "helpline", c.helpline.code)
                and _eq(figure, "channel", c.channel)
                and _eq(figure, "thb_related", c.thb_related)
            ):
                total += 1
        for h in HelplineAggregate.objects.select_related("helpline"):
            if (
                h.period_start.year == year
                and _eq(figure, "helpline", h.helpline.code)
                and _eq(figure, "channel", h.channel)
            ):
                total += h.thb_related if figure.filter("thb_related") else h.contacts
        return total
    if measure == "training_headline":
        for t in TrainingTotal.objects.all():
            if t.year == year:
                return t.participants
        sectors = {g.code: g.sector for g in get_profile().activities.participant_groups}
        return sum(
            p.count
            for p in TrainingParticipation.objects.select_related("event")
            if p.event.start_date.year == year
            and sectors[p.participant_group] in ("state", "municipal")
        )
    if measure == "training_sessions":
        return sum(
            e.sessions
            for e in TrainingEvent.objects.select_related("institution")
            if e.start_date.year == year
            and _institution_ok(figure, e.institution)
            and _eq(figure, "own_event", e.own_event)
            and _eq(figure, "event_type", e.event_type)
        )
    if measure == "training_participants":
        return sum(
            p.count
            for p in TrainingParticipation.objects.select_related("event__institution")
            if p.event.start_date.year == year
            and _institution_ok(figure, p.event.institution)
            and _eq(figure, "own_event", p.event.own_event)
            and _eq(figure, "event_type", p.event.event_type)
            and _eq(figure, "participant_group", p.participant_group)
            and _eq(figure, "profession", p.profession)
        )
    if measure == "reach":
        return sum(
            r.value
            for r in ReachFigure.objects.select_related("institution")
            if r.year == year
            and _institution_ok(figure, r.institution)
            and _eq(figure, "kind", r.channel)
            and _eq(figure, "metric", r.metric)
        )
    if measure == "campaign_materials":
        return sum(
            1
            for m in CampaignMaterial.objects.select_related("campaign", "institution")
            if m.campaign.start_date.year == year
            and _institution_ok(figure, m.institution)
            and _eq(figure, "kind", m.kind)
        )
    if measure == "contributions":
        return _number(
            sum(
                (
                    c.amount_eur
                    for c in Contribution.objects.select_related("institution")
                    if c.year == year
                    and _institution_ok(figure, c.institution)
                    and _eq(figure, "recipient", c.recipient)
                ),
                Decimal(0),
            )
        )
    column = "participants" if measure == "project_event_participants" else "video_views"
    return sum(
        getattr(e, column) or 0
        for e in ProjectEvent.objects.select_related("project", "institution")
        if e.date.year == year
        and _institution_ok(figure, e.institution)
        and _eq(figure, "project", e.project.code)
        and _eq(figure, "project_event", e.code)
    )


def _activities_figures() -> list[FigureDef]:
    return [f for f in catalogue().values() if f.measure.startswith(MEASURE_PREFIX)]


@pytest.mark.parametrize("seed", [1, 2])
def test_the_sql_measures_equal_an_independent_count(seed: int):
    _generate(seed)
    figures = _activities_figures()
    for year in YEARS:
        computed = compute_figures(year, [f.id for f in figures])
        expected = {f.id: _expected(f, year) for f in figures}
        assert computed == expected, year
    assert sum(1 for value in compute_figures(2020, [f.id for f in figures]).values() if value) > 20


def test_a_year_without_records_gives_zero_for_every_activities_figure():
    ids = [f.id for f in _activities_figures()]
    assert compute_figures(2020, ids) == dict.fromkeys(ids, 0)
    assert aggregate_returns(2020) == {}
    _generate(1)
    assert compute_figures(2010, ids) == dict.fromkeys(ids, 0)


def test_figures_resting_on_aggregate_returns_are_marked():
    _generate(3)
    returns = aggregate_returns(2020)
    inspections = "detection.labour_inspectorate.inspections_per_year"
    stored = DetectionAggregate.objects.filter(
        institution__code="vdi", year=2020, kind="inspection"
    ).first()
    if stored is None:
        assert inspections not in returns
    else:
        assert returns[inspections].basis == stored.basis
        assert returns[inspections].source == stored.source
    # The previous year's headline rests on 2019's training total; 2020 has none.
    assert returns["training.participants.previous_year"].basis == AggregateBasis.TOTAL
    assert "training.participants" not in returns
    # Figures asking for a place type or legal basis never rest on aggregate returns.
    assert "detection.childrens_rights_inspectorate.inspections_out_of_family_care" not in returns
    assert "detection.border_guard.proceedings.285" not in returns


def test_the_measures_count_in_a_few_queries_whatever_the_records(
    django_assert_max_num_queries: Any,
):
    """One or two aggregate queries per measure and year, not one per record."""
    _generate(2)
    ids = [f.id for f in _activities_figures()]
    with django_assert_max_num_queries(16):
        compute_figures(2020, ids)
