"""Synthetic data for benchmarks/scale.py: N victims with everything that hangs off them,
written FAST straight into the tables (executemany on SQLite, COPY on PostgreSQL).

This is a benchmark's data, not the product's write path: no audit events, no
services. The denormalised columns the services keep are filled the way they fill
them, through the same helpers (victims.rules.primary_form / exploitation_key; the
justice service's first injured-party link sets Case.injured_party_on).

Per victim (one person, one case): a decision for 90 % of cases (75 % recognised, 15 %
not recognised, 10 % still potential), one or two forms of exploitation, a place
(5 % none, 5 % one at home and one abroad), age, sex, citizenship (5 % third-country
nationals with a residence track, two legal deadlines and, for 60 %, a permit request
and permit), a timeline event; a rehabilitation plan with 5 services delivered for
each recognised victim; 2 % paid state compensation. One criminal proceeding per 10
victims (sections, 2 injured parties linked to cases, 1-3 suspects, stages, judgments
with sentences, some property arrests), one helpline contact per 2 victims, one
detection record per 20 and one training event per 2 000.
"""

# Table names in the SQL come from the models' _meta (S608); the stage helpers are
# closures called within their loop iteration (B023).
# ruff: noqa: S608, B023
from __future__ import annotations

import json
import random
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection, models

YEAR = 2020
CHUNK = 20_000
# Citizenships: the home country most often, EU neighbours, third countries (who get a
# residence track). Codes of the benchmark's data set, not of the product.
EU = ["LT", "EE", "PL", "DE", "RO", "GB"]
THIRD = ["TJ", "UZ", "IN", "UA", "BR", "VN"]
TRANSIT = ["LV", "RU", "PL", "LT", "BY", "DE"]


class Table:
    """Inserts rows of chosen fields into a model's table; every other column gets its
    field's default, prepared once by the field itself."""

    def __init__(self, model: type[models.Model], fields: Sequence[str]) -> None:
        self.model = model
        meta = model._meta
        chosen = [meta.get_field(name) for name in fields]
        now = datetime(2021, 1, 15, 12, 0, tzinfo=UTC)
        rest = []
        for field in meta.concrete_fields:
            if field in chosen or field.primary_key:
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value: Any = now
            elif field.has_default():
                value = field.get_default()
            elif field.null:
                value = None
            else:
                value = ""
            rest.append((field, field.get_db_prep_save(value, connection)))
        self.columns = ["id", *(f.column for f in chosen), *(f.column for f, _v in rest)]
        self.constants = tuple(v for _f, v in rest)
        self.next_id = (model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1
        self.count = 0

    def take_ids(self, n: int) -> range:
        ids = range(self.next_id, self.next_id + n)
        self.next_id += n
        return ids

    def insert(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """Rows start with their id (from take_ids, or None for the next one)."""
        table = self.model._meta.db_table
        cols = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        buffer: list[tuple[Any, ...]] = []

        def flush() -> None:
            if not buffer:
                return
            with connection.cursor() as cursor:
                raw = cursor.cursor
                if connection.vendor == "postgresql":
                    with raw.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                        for row in buffer:
                            copy.write_row(row)
                else:
                    marks = ", ".join("?" * len(self.columns))
                    raw.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", buffer)
            self.count += len(buffer)
            buffer.clear()

        for row in rows:
            row_id = row[0]
            if row_id is None:
                row_id = self.next_id
                self.next_id += 1
            buffer.append((row_id, *row[1:], *self.constants))
            if len(buffer) >= CHUNK:
                flush()
        flush()

    def finish(self) -> None:
        if connection.vendor == "postgresql":
            table = self.model._meta.db_table
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table}), 1))"
                )


def _day(start: date, rng: random.Random, spread: int) -> date:
    return start + timedelta(days=rng.randint(0, spread))


def _datetime(value: datetime) -> Any:
    """A datetime as the backend stores it (SQLite: naive UTC text)."""
    if connection.vendor == "sqlite":
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    return value


def generate(victims: int, seed: int = 1) -> dict[str, int]:
    """Fill the (migrated, empty) database; returns the row count of each table."""
    from thb.accounts.models import Institution, InstitutionKind, Role, User
    from thb.activities.models import DetectionRecord, Helpline, HelplineContact
    from thb.justice.models import (
        InjuredParty,
        Judgment,
        JudgmentPerson,
        NonPunishmentDecision,
        Proceeding,
        ProceedingSection,
        PropertyArrest,
        StageEvent,
        Suspect,
    )
    from thb.profiles import get_profile
    from thb.reports.catalogue import catalogue
    from thb.residence.models import (
        Deadline,
        PermitRequest,
        ResidencePermit,
        ResidenceTrack,
    )
    from thb.support.models import (
        FundingContract,
        OtherEligibleCost,
        RehabilitationPlan,
        ServiceDelivery,
        StateCompensation,
    )
    from thb.victims.models import (
        Case,
        CaseEvent,
        CaseExploitation,
        CasePlace,
        CaseTransit,
        CaseVulnerability,
        IdentificationDecision,
        Person,
    )
    from thb.victims.rules import exploitation_key, primary_form

    rng = random.Random(seed)
    profile = get_profile()
    home = profile.country.code
    forms = profile.codes("exploitation_forms")
    form_weights = [30, 2, 45, 8, 4, 4, 3, 1, 3][: len(forms)] + [1] * max(0, len(forms) - 9)
    sectors = profile.codes("labour_sectors")
    regions = [r for r in profile.codes("regions") if r != "region_unknown"]
    recruitment = profile.codes("recruitment_methods")
    education = profile.codes("education_levels")
    referral = profile.codes("referral_channels")
    factors = profile.codes("vulnerability_factors")
    platforms = profile.codes("recruitment_platforms")
    routes = profile.codes("migration_routes")
    # The trends chapter's columns (vulnerability, platform, route, transit) come from a
    # generator of their own, so that the rest of the data is what earlier seeds gave.
    trends_rng = random.Random(seed + 1)
    services = profile.codes("support_services") if hasattr(profile, "support_services") else []
    services = services or [s.code for s in profile.support.services]
    specialists = [s.code for s in profile.support.specialist_roles]
    cost_categories = [c.code for c in profile.support.other_cost_categories]
    property_kinds = [k.code for k in profile.justice.property_kinds]
    crime_sections = [s.code for s in profile.legal_sections if s.group != "non_punishment"]
    section_weights = [50 if s.group == "trafficking" else 8 for s in profile.legal_sections]
    section_weights = [
        w
        for w, s in zip(section_weights, profile.legal_sections, strict=True)
        if s.group != "non_punishment"
    ]
    non_punishment = [s.code for s in profile.legal_sections if s.group == "non_punishment"]
    helpline_channels = sorted(
        {
            (str(f.filter("helpline")), str(f.filter("channel") or "call"))
            for f in catalogue().values()
            if f.measure == "activities.helpline_contacts"
        }
    )

    def inst(code: str, kind: str) -> Institution:
        return Institution.objects.create(code=code, name=code.upper(), kind=kind)

    def user(name: str, role: str, institution: Institution) -> User:
        return User.objects.create(username=name, role=role, institution=institution)

    providers = [inst(f"sp-{i:02d}", InstitutionKind.SERVICE_PROVIDER) for i in range(20)]
    workers = [user(f"worker-{p.code}", Role.CASEWORKER, p) for p in providers]
    police = inst("vp", InstitutionKind.STATE_POLICE)
    director = user("director", Role.PROCESS_DIRECTOR, police)
    prosecutor = inst("prok", InstitutionKind.PROSECUTOR)
    courts = [inst(f"court-{i}", InstitutionKind.COURT) for i in range(3)]
    migration = inst("pmlp", InstitutionKind.MIGRATION_OFFICE)
    legal_aid = inst("jpa", InstitutionKind.LEGAL_AID)
    ministry = inst("iem", InstitutionKind.MINISTRY)
    commission = user("commission", Role.COMMISSION_MEMBER, ministry)
    helplines = {}
    for code in sorted({code for code, _channel in helpline_channels}):
        operator = inst(f"hl-{code}"[:40].replace("_", "-"), InstitutionKind.HELPLINE)
        helplines[code] = Helpline.objects.create(
            institution=operator, code=code, name=code, number="116"
        )

    persons = Table(Person, ["code", "sex", "citizenship"])
    cases = Table(
        Case,
        [
            "person",
            "institution",
            "status",
            "intake_date",
            "referral_channel",
            "age_at_identification",
            "education",
            "recruitment_method",
            "recruitment_platform",
            "migration_route",
            "primary_form",
            "exploitation_key",
            "decided_on",
            "submitted_to_commission_on",
            "proceeding_institution",
            "proceeding_reference",
            "injured_party_on",
            "injured_party_proceeding",
        ],
    )
    exploitations = Table(CaseExploitation, ["case", "form", "sector"])
    places = Table(CasePlace, ["case", "country", "region"])
    vulnerabilities = Table(CaseVulnerability, ["case", "factor"])
    transits = Table(CaseTransit, ["case", "position", "country"])
    decisions = Table(
        IdentificationDecision, ["case", "kind", "decided_on", "recognised", "recorded_by"]
    )
    events = Table(CaseEvent, ["case", "kind", "actor"])
    plans = Table(RehabilitationPlan, ["case", "starts_on", "ends_on", "created_by"])
    deliveries = Table(
        ServiceDelivery,
        [
            "plan",
            "delivered_on",
            "service",
            "specialist_role",
            "hours",
            "cost_eur",
            "provider",
            "recorded_by",
        ],
    )
    compensations = Table(
        StateCompensation, ["case", "paid_on", "amount_eur", "payer", "recorded_by"]
    )
    tracks = Table(
        ResidenceTrack,
        [
            "case",
            "status_basis",
            "status_granted_on",
            "information_given_on",
            "application_on",
            "reflection_decided_on",
            "reflection_granted",
            "reflection_start",
            "reflection_end",
        ],
    )
    deadlines = Table(
        Deadline,
        [
            "track",
            "kind",
            "legal_basis",
            "started_by",
            "started_on",
            "due_on",
            "responsible_institution",
            "responsible_role",
            "met_by",
            "met_on",
        ],
    )
    requests = Table(
        PermitRequest,
        ["track", "kind", "requested_on", "months", "migration_office", "requested_by"],
    )
    permits = Table(
        ResidencePermit,
        ["request", "holder", "issued_on", "valid_from", "valid_to", "recorded_by"],
    )

    # Proceedings are made first (numbers), the cases then link to them.
    n_proceedings = max(1, victims // 10)
    proceeding_started = [
        date(YEAR if rng.random() < 0.4 else rng.randint(YEAR - 4, YEAR - 1), 1, 1)
        + timedelta(days=rng.randint(0, 364))
        for _i in range(n_proceedings)
    ]

    # Cases ------------------------------------------------------------------------
    person_ids = persons.take_ids(victims)
    case_ids = cases.take_ids(victims)
    recognised_cases: list[tuple[int, date, int, str, str, int | None]] = []
    case_rows: list[tuple[Any, ...]] = []
    person_rows: list[tuple[Any, ...]] = []
    form_rows: list[tuple[Any, ...]] = []
    place_rows: list[tuple[Any, ...]] = []
    decision_rows: list[tuple[Any, ...]] = []
    event_rows: list[tuple[Any, ...]] = []
    factor_rows: list[tuple[Any, ...]] = []
    transit_rows: list[tuple[Any, ...]] = []
    track_cases: list[tuple[int, date]] = []

    def flush_cases() -> None:
        persons.insert(person_rows)
        cases.insert(case_rows)
        exploitations.insert(form_rows)
        places.insert(place_rows)
        decisions.insert(decision_rows)
        events.insert(event_rows)
        vulnerabilities.insert(factor_rows)
        transits.insert(transit_rows)
        for rows in (
            person_rows,
            case_rows,
            form_rows,
            place_rows,
            decision_rows,
            event_rows,
            factor_rows,
            transit_rows,
        ):
            rows.clear()

    # Injured parties: 2 per proceeding, from the recognised cases (chosen below).
    for i, (person_id, case_id) in enumerate(zip(person_ids, case_ids, strict=True)):
        provider_index = rng.randrange(len(providers))
        roll = rng.random()
        citizenship = home if roll < 0.70 else rng.choice(EU) if roll < 0.95 else rng.choice(THIRD)
        sex = rng.choices(["female", "male", "other", "unknown"], [55, 42, 1, 2])[0]
        age = None if rng.random() < 0.03 else rng.randint(8, 70)
        r = rng.random()
        year = YEAR if r < 0.5 else YEAR - 1 if r < 0.7 else rng.randint(YEAR - 5, YEAR - 2)
        s = rng.random()
        status = "recognised" if s < 0.75 else "not_recognised" if s < 0.90 else "potential"
        decided = _day(date(year, 1, 1), rng, 364) if status != "potential" else None
        intake = (decided or date(year, 12, 1)) - timedelta(days=rng.randint(10, 120))
        chosen = {rng.choices(forms, form_weights)[0]: ""}
        if rng.random() < 0.15:
            chosen[rng.choices(forms, form_weights)[0]] = ""
        for form in chosen:
            if profile.form(form).has_sectors:
                chosen[form] = rng.choice(sectors) if rng.random() < 0.9 else ""
        person_rows.append((person_id, f"S-{i + 1:08d}", sex, citizenship))
        # Vulnerability factors (none for 60 %, one or two), an online platform for
        # 20 %, a visa or posting route for 15 %, one or two transit countries for 10 %.
        t = trends_rng.random()
        if t < 0.4:
            for factor in trends_rng.sample(factors, 1 if t < 0.3 else 2):
                factor_rows.append((None, case_id, factor))
        platform = trends_rng.choice(platforms) if trends_rng.random() < 0.2 else ""
        route = trends_rng.choice(routes) if trends_rng.random() < 0.15 else ""
        if trends_rng.random() < 0.1:
            route_countries = trends_rng.sample(TRANSIT, trends_rng.randint(1, 2))
            for position, country in enumerate(route_countries, start=1):
                transit_rows.append((None, case_id, position, country))
        case_rows.append(
            (
                case_id,
                person_id,
                providers[provider_index].pk,
                status,
                intake,
                rng.choice(referral),
                age,
                rng.choice(education),
                rng.choice(recruitment),
                platform,
                route,
                primary_form(chosen, profile),
                exploitation_key(chosen, profile),
                decided,
                intake + timedelta(days=5),
                None,
                "",
                None,
                "",
            )
        )
        form_rows.extend((None, case_id, form, sector) for form, sector in chosen.items())
        p = rng.random()
        if p >= 0.05:
            abroad = rng.choice(EU + THIRD)
            if p < 0.55:
                place_rows.append((None, case_id, home, rng.choice(regions)))
            else:
                place_rows.append((None, case_id, abroad, ""))
                if p > 0.95:
                    place_rows.append((None, case_id, home, rng.choice(regions)))
        if decided is not None:
            decision_rows.append(
                (None, case_id, "commission", decided, status == "recognised", commission.pk)
            )
        event_rows.append((None, case_id, "created", workers[provider_index].pk))
        if status == "recognised" and decided is not None:
            recognised_cases.append((case_id, decided, provider_index, sex, citizenship, age))
            if citizenship in THIRD:
                track_cases.append((case_id, decided))
        if len(case_rows) >= CHUNK:
            flush_cases()
    flush_cases()

    # Justice ----------------------------------------------------------------------
    proceedings = Table(
        Proceeding, ["number", "institution", "started_on", "exploitation_form", "sector"]
    )
    sections = Table(ProceedingSection, ["proceeding", "code"])
    parties = Table(
        InjuredParty, ["proceeding", "case", "recognised_on", "sex", "minor", "citizenship"]
    )
    suspects = Table(
        Suspect,
        ["proceeding", "label", "sex", "minor", "citizenship", "suspected_on", "accused_on"],
    )
    stages = Table(StageEvent, ["proceeding", "kind", "on", "institution", "recorded_by"])
    stage_persons_model = StageEvent.persons.through
    stage_persons = Table(stage_persons_model, ["stageevent", "suspect"])
    judgments = Table(Judgment, ["proceeding", "level", "delivered_on", "court"])
    judged = Table(
        JudgmentPerson,
        [
            "judgment",
            "suspect",
            "outcome",
            "section",
            "deprivation_months",
            "deprivation_conditional",
            "probation_months",
            "fine_eur",
        ],
    )
    arrests = Table(PropertyArrest, ["proceeding", "kind", "arrested_on", "value_eur"])
    non_punished = Table(
        NonPunishmentDecision,
        ["institution", "legal_basis", "outcome", "decided_on", "proceeding", "recorded_by"],
    )
    pool = list(recognised_cases)
    rng.shuffle(pool)
    injured_of: dict[int, tuple[date, str]] = {}
    proceeding_ids = proceedings.take_ids(n_proceedings)
    rows: dict[str, list[tuple[Any, ...]]] = {
        name: [] for name in ("p", "s", "ip", "su", "st", "sp", "j", "jp", "pa")
    }

    def flush_justice() -> None:
        proceedings.insert(rows["p"])
        sections.insert(rows["s"])
        parties.insert(rows["ip"])
        suspects.insert(rows["su"])
        stages.insert(rows["st"])
        stage_persons.insert(rows["sp"])
        judgments.insert(rows["j"])
        judged.insert(rows["jp"])
        arrests.insert(rows["pa"])
        for items in rows.values():
            items.clear()

    for pid, started in zip(proceeding_ids, proceeding_started, strict=True):
        number = f"P-{pid:08d}"
        form = rng.choices(forms, form_weights)[0] if rng.random() < 0.9 else ""
        sector = rng.choice(sectors) if form and profile.form(form).has_sectors else ""
        rows["p"].append((pid, number, police.pk, started, form, sector))
        codes = {rng.choices(crime_sections, section_weights)[0]}
        if rng.random() < 0.1:
            codes.add(rng.choice(crime_sections))
        first_code = sorted(codes)[0]
        rows["s"].extend((None, pid, code) for code in sorted(codes))
        for _k in range(2):
            if not pool:
                break
            case_id, _decided, _prov, sex, citizenship, age = pool.pop()
            on = started + timedelta(days=rng.randint(0, 200))
            minor = age is not None and age < profile.country.age_of_majority
            party_sex = sex if sex in ("male", "female") else "unknown"
            rows["ip"].append((None, pid, case_id, on, party_sex, minor, citizenship))
            injured_of.setdefault(case_id, (on, number))
        suspect_ids = []
        for k in range(rng.randint(1, 3)):
            sid = suspects.take_ids(1)[0]
            accused = started + timedelta(days=rng.randint(60, 400)) if rng.random() < 0.6 else None
            rows["su"].append(
                (
                    sid,
                    pid,
                    "ABC"[k],
                    rng.choice(["male", "female"]),
                    rng.random() < 0.02,
                    home if rng.random() < 0.8 else rng.choice(EU + THIRD),
                    started + timedelta(days=rng.randint(0, 60)),
                    accused,
                )
            )
            if accused is not None:
                suspect_ids.append(sid)
        day = started

        def stage(kind: str, institution: Institution, persons: Sequence[int] = ()) -> None:
            nonlocal day
            day = day + timedelta(days=rng.randint(30, 200))
            stage_id = stages.take_ids(1)[0]
            rows["st"].append((stage_id, pid, kind, day, institution.pk, director.pk))
            rows["sp"].extend((None, stage_id, s) for s in persons)

        def judge(level: str, court: Institution) -> None:
            judgment_id = judgments.take_ids(1)[0]
            rows["j"].append((judgment_id, pid, level, day, court.pk))
            for sid in suspect_ids:
                convicted = rng.random() < 0.8
                penalty = rng.random()
                rows["jp"].append(
                    (
                        None,
                        judgment_id,
                        sid,
                        "convicted" if convicted else "acquitted",
                        first_code if convicted else "",
                        rng.randint(6, 120) if convicted and penalty < 0.7 else None,
                        convicted and penalty < 0.3,
                        rng.randint(6, 36) if convicted and penalty > 0.6 else None,
                        Decimal(rng.randint(5, 500) * 100) if convicted and penalty > 0.8 else None,
                    )
                )

        if suspect_ids and rng.random() < 0.7:
            stage("transferred_for_prosecution", prosecutor)
            if rng.random() < 0.8:
                stage("sent_to_prosecution", prosecutor, suspect_ids)
                court = rng.choice(courts)
                stage("first_instance_received", court)
                if rng.random() < 0.8:
                    stage("first_instance_examined", court)
                    judge("first_instance", court)
                    if rng.random() < 0.35:
                        stage("appeal_received", courts[0])
                        if rng.random() < 0.8:
                            stage("appeal_examined", courts[0])
                            judge("appeal", courts[0])
                            if rng.random() < 0.1:
                                stage("cassation_received", courts[1])
                                if rng.random() < 0.7:
                                    stage("cassation_examined", courts[1])
        if rng.random() < 0.1:
            rows["pa"].append(
                (
                    None,
                    pid,
                    rng.choice(property_kinds),
                    started + timedelta(days=rng.randint(0, 300)),
                    Decimal(rng.randint(100, 100_000)),
                )
            )
        if len(rows["p"]) >= CHUNK:
            flush_justice()
    flush_justice()
    non_punished.insert(
        (
            None,
            police.pk,
            rng.choice(non_punishment),
            "released" if rng.random() < 0.9 else "penalty_applied",
            _day(date(rng.randint(YEAR - 2, YEAR), 1, 1), rng, 364),
            None,
            director.pk,
        )
        for _i in range(max(1, victims // 200))
    )
    # The justice service records the first injured-party link on the case.
    if injured_of:
        _update_injured(Case, injured_of, police.pk)

    # Support ----------------------------------------------------------------------
    def support_rows() -> Iterator[tuple[Any, ...]]:
        for case_id, decided, provider_index, *_rest in recognised_cases:
            yield (
                None,
                case_id,
                decided + timedelta(days=3),
                decided + timedelta(days=183),
                workers[provider_index].pk,
            )

    first_plan = plans.next_id
    plans.insert(support_rows())

    def delivery_rows() -> Iterator[tuple[Any, ...]]:
        for offset, (_case_id, decided, provider_index, *_rest) in enumerate(recognised_cases):
            for _k in range(5):
                yield (
                    None,
                    first_plan + offset,
                    decided + timedelta(days=rng.randint(3, 180)),
                    rng.choice(services),
                    rng.choice(specialists),
                    Decimal(rng.randint(1, 8)),
                    Decimal(rng.randint(1000, 30000)) / 100,
                    providers[provider_index].pk,
                    workers[provider_index].pk,
                )

    deliveries.insert(delivery_rows())
    contracts = Table(FundingContract, ["year", "provider", "planned_eur", "recorded_by"])
    contracts.insert(
        (None, year, provider.pk, Decimal(victims * 40), workers[0].pk)
        for year in range(YEAR - 5, YEAR + 2)
        for provider in providers
    )
    others = Table(
        OtherEligibleCost, ["provider", "incurred_on", "category", "amount_eur", "recorded_by"]
    )
    others.insert(
        (
            None,
            rng.choice(providers).pk,
            _day(date(rng.randint(YEAR - 5, YEAR), 1, 1), rng, 364),
            rng.choice(cost_categories),
            Decimal(rng.randint(100, 5000)),
            workers[0].pk,
        )
        for _i in range(max(1, victims // 100))
    )
    compensations.insert(
        (
            None,
            case_id,
            decided + timedelta(days=rng.randint(30, 300)),
            Decimal(1000),
            legal_aid.pk,
            workers[0].pk,
        )
        for case_id, decided, *_rest in recognised_cases
        if rng.random() < 0.02
    )

    # Residence (third-country nationals) ---------------------------------------------
    first_track = tracks.next_id
    tracks.insert(
        (
            None,
            case_id,
            "recognised",
            decided,
            decided + timedelta(days=2),
            decided + timedelta(days=10),
            decided + timedelta(days=20),
            True,
            decided + timedelta(days=20),
            decided + timedelta(days=50),
        )
        for case_id, decided in track_cases
    )

    def cited(article: str) -> str:
        # Deadline.legal_basis: a language map, as JSON text for the raw insert.
        from thb.core.languages import languages

        return json.dumps(dict.fromkeys(languages(), article))

    def deadline_rows() -> Iterator[tuple[Any, ...]]:
        for offset, (_case_id, decided) in enumerate(track_cases):
            track = first_track + offset
            yield (
                None,
                track,
                "application",
                cited("art. 3"),
                "information",
                decided + timedelta(days=2),
                decided + timedelta(days=12),
                police.pk,
                "process_director",
                "application",
                decided + timedelta(days=10),
            )
            met = rng.random() < 0.8
            yield (
                None,
                track,
                "evaluation",
                cited("art. 6"),
                "reflection_start",
                decided + timedelta(days=20),
                decided + timedelta(days=50),
                police.pk,
                "process_director",
                "evaluation" if met else "",
                decided + timedelta(days=45) if met else None,
            )

    deadlines.insert(deadline_rows())
    first_request = requests.next_id
    asked = [
        (first_track + offset, decided)
        for offset, (_case_id, decided) in enumerate(track_cases)
        if rng.random() < 0.6
    ]
    requests.insert(
        (None, track, "initial", decided + timedelta(days=55), 12, migration.pk, director.pk)
        for track, decided in asked
    )
    permits.insert(
        (
            None,
            first_request + offset,
            "victim",
            decided + timedelta(days=70),
            decided + timedelta(days=70),
            decided + timedelta(days=435),
            director.pk,
        )
        for offset, (_track, decided) in enumerate(asked)
        if rng.random() < 0.9
    )

    # Activities ---------------------------------------------------------------------
    contacts = Table(
        HelplineContact, ["institution", "helpline", "received_at", "channel", "thb_related"]
    )
    start = datetime(YEAR - 2, 1, 1, tzinfo=UTC)
    contacts.insert(
        (
            None,
            helplines[code].institution_id,
            helplines[code].pk,
            _datetime(start + timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60))),
            channel,
            rng.random() < 0.1,
        )
        for code, channel in (rng.choice(helpline_channels) for _i in range(victims // 2))
    )
    detections = Table(DetectionRecord, ["institution", "kind", "date", "count", "thb_related"])
    detections.insert(
        (
            None,
            police.pk,
            rng.choice(["inspection", "complaint", "possible_victim", "case_found"]),
            _day(date(rng.randint(YEAR - 2, YEAR), 1, 1), rng, 364),
            rng.randint(1, 3),
            rng.random() < 0.1,
        )
        for _i in range(max(1, victims // 20))
    )

    tables = [
        persons,
        cases,
        exploitations,
        places,
        decisions,
        events,
        proceedings,
        sections,
        parties,
        suspects,
        stages,
        stage_persons,
        judgments,
        judged,
        arrests,
        non_punished,
        plans,
        deliveries,
        contracts,
        others,
        compensations,
        tracks,
        deadlines,
        requests,
        permits,
        contacts,
        detections,
    ]
    for table in tables:
        table.finish()
    return {t.model._meta.label: t.count for t in tables}


def _update_injured(
    case_model: Any, injured_of: dict[int, tuple[date, str]], police_id: int
) -> None:
    """Case.injured_party_on / injured_party_proceeding of the first link, in bulk, and
    the proceeding's institution and number (whose process director sees the case)."""
    table = case_model._meta.db_table
    items = [(on, number, case_id) for case_id, (on, number) in injured_of.items()]
    if connection.vendor == "sqlite":
        items = [(on, number, number, case_id) for on, number, case_id in items]
    with connection.cursor() as cursor:
        raw = cursor.cursor
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE TEMP TABLE bench_injured (case_id bigint, on_ date, number text)"
            )
            with raw.copy("COPY bench_injured (on_, number, case_id) FROM STDIN") as copy:
                for item in items:
                    copy.write_row(item)
            cursor.execute(
                f"UPDATE {table} SET injured_party_on = b.on_, injured_party_proceeding = "
                f"b.number, proceeding_institution_id = {int(police_id)}, "
                f"proceeding_reference = b.number FROM bench_injured b "
                f"WHERE {table}.id = b.case_id"
            )
            cursor.execute("DROP TABLE bench_injured")
        else:
            raw.executemany(
                f"UPDATE {table} SET injured_party_on = ?, injured_party_proceeding = ?, "
                f"proceeding_institution_id = {int(police_id)}, proceeding_reference = ? "
                "WHERE id = ?",
                items,
            )
