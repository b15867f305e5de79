"""Reads of criminal proceedings. Record selectors take the acting user and return only
what that user may see; the statistics at the end are aggregates without identities."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet, Sum
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from thb.accounts.models import User
from thb.audit.services import audit_read
from thb.justice.models import (
    InjuredParty,
    Judgment,
    JudgmentPerson,
    NonPunishmentDecision,
    NonPunishmentOutcome,
    Outcome,
    Proceeding,
    PropertyArrest,
    StageEvent,
    StageKind,
    Suspect,
)
from thb.justice.policy import (
    can_link_case,
    non_punishment_scope,
    proceeding_scope,
    shows_victim_codes,
)
from thb.profiles import get_profile
from thb.victims.models import Case, Sex, country_code


def proceeding_list(
    *,
    actor: User,
    year: int | None = None,
    section: str = "",
    institution: str = "",
) -> QuerySet[Proceeding]:
    scope = proceeding_scope(actor)
    if scope is None:
        return Proceeding.objects.none()
    ids = Proceeding.objects.filter(scope).values("id")
    proceedings = Proceeding.objects.filter(id__in=ids).select_related("institution")
    if year:
        proceedings = proceedings.filter(started_on__year=year)
    if section:
        proceedings = proceedings.filter(sections__code=section)
    if institution:
        proceedings = proceedings.filter(institution__code=institution)
    return proceedings.prefetch_related("sections").order_by("-started_on", "-id").distinct()


def proceeding_get_for_user(
    *, actor: User, pk: int, request: HttpRequest | None = None, purpose: str = "view"
) -> Proceeding:
    """The one way to open a proceeding: 404 outside the actor's scope; the read is
    audited."""
    scope = proceeding_scope(actor)
    if scope is None:
        raise Http404
    ids = Proceeding.objects.filter(scope).values("id")
    try:
        proceeding = (
            Proceeding.objects.filter(id__in=ids)
            .select_related("institution")
            .prefetch_related(
                "sections",
                Prefetch(
                    "injured_parties",
                    queryset=InjuredParty.objects.select_related("case__person"),
                ),
                "suspects",
                "property_arrests",
                Prefetch(
                    "stages",
                    queryset=StageEvent.objects.select_related("institution").prefetch_related(
                        "persons"
                    ),
                ),
                Prefetch(
                    "judgments",
                    queryset=Judgment.objects.select_related("court").prefetch_related(
                        Prefetch(
                            "persons", queryset=JudgmentPerson.objects.select_related("suspect")
                        )
                    ),
                ),
            )
            .get(pk=pk)
        )
    except Proceeding.DoesNotExist:
        raise Http404 from None
    audit_read(actor=actor, target=proceeding, request=request, purpose=purpose)
    return proceeding


def injured_parties_for_user(
    *, actor: User, proceeding: Proceeding, request: HttpRequest | None = None
) -> list[InjuredParty]:
    """The injured parties of a proceeding the actor has opened. Where the actor is
    shown victims' case codes, each party linked to a case is a read of that victim's
    record: audited against the party, with the code."""
    parties = list(proceeding.injured_parties.all())
    if shows_victim_codes(actor):
        for party in parties:
            if party.case is not None:
                audit_read(
                    actor=actor,
                    target=party,
                    request=request,
                    purpose="injured_party",
                    code=party.case.person.code,
                )
    return parties


def non_punishment_list(*, actor: User, year: int | None = None) -> QuerySet[NonPunishmentDecision]:
    scope = non_punishment_scope(actor)
    if scope is None:
        return NonPunishmentDecision.objects.none()
    decisions = NonPunishmentDecision.objects.filter(scope)
    if year:
        decisions = decisions.filter(decided_on__year=year)
    return decisions.select_related("institution", "proceeding")


@dataclass(frozen=True)
class InjuredSummary:
    total: int
    by_group: dict[str, int]
    by_citizenship: dict[str, int]


def injured_summary(parties: Iterable[InjuredParty]) -> InjuredSummary:
    groups: Counter[str] = Counter()
    citizenship: Counter[str] = Counter()
    total = 0
    for party in parties:
        total += 1
        groups[_group(party.sex, party.minor)] += 1
        citizenship[country_code(party.citizenship) or "unknown"] += 1
    return InjuredSummary(total, dict(groups), dict(sorted(citizenship.items())))


def _group(sex: str, minor: bool) -> str:
    if minor:
        return "minors"
    return {Sex.MALE: "men", Sex.FEMALE: "women"}.get(sex, "sex_unknown")  # type: ignore[call-overload]


# Statistics. Figure ids are those of shared/reference/2020-figures.yaml.


def pending_in_court(*, kind: str, at: date, proceeding_ids: Iterable[int] | None = None) -> int:
    """Cases received by a court level and not yet examined, just before `at`:
    per proceeding, receipts minus examinations so far (a case sent back for a new
    examination is pending again)."""
    received_kind, examined_kind = {
        "first_instance": (StageKind.FIRST_INSTANCE_RECEIVED, StageKind.FIRST_INSTANCE_EXAMINED),
        "appeal": (StageKind.APPEAL_RECEIVED, StageKind.APPEAL_EXAMINED),
        "cassation": (StageKind.CASSATION_RECEIVED, StageKind.CASSATION_EXAMINED),
    }[kind]
    events = StageEvent.objects.filter(kind__in=[received_kind, examined_kind], on__lt=at)
    if proceeding_ids is not None:
        events = events.filter(proceeding_id__in=list(proceeding_ids))
    balance: Counter[int] = Counter()
    for proceeding_id, event_kind in events.values_list("proceeding_id", "kind"):
        balance[proceeding_id] += 1 if event_kind == received_kind else -1
    return sum(1 for value in balance.values() if value > 0)


def _section_proceeding_ids(codes: Iterable[str]) -> set[int]:
    return set(
        Proceeding.objects.filter(sections__code__in=list(codes)).values_list("id", flat=True)
    )


def _stage_counts(year: int, ids: set[int]) -> dict[str, int]:
    events = StageEvent.objects.filter(on__year=year, proceeding_id__in=ids)
    counts: Counter[str] = Counter(events.values_list("kind", flat=True))
    sent = events.filter(kind=StageKind.SENT_TO_PROSECUTION)
    return {
        "sent_to_prosecution.cases": sent.values("proceeding_id").distinct().count(),
        "sent_to_prosecution.persons": Suspect.objects.filter(stages__in=sent).distinct().count(),
        "first_instance.received": counts[StageKind.FIRST_INSTANCE_RECEIVED],
        "first_instance.examined": counts[StageKind.FIRST_INSTANCE_EXAMINED],
        "appeal.received": counts[StageKind.APPEAL_RECEIVED],
        "appeal.examined": counts[StageKind.APPEAL_EXAMINED],
        "cassation_appeals": counts[StageKind.CASSATION_RECEIVED],
    }


def convicted_in_year(year: int, codes: Iterable[str]) -> list[Suspect]:
    """Persons convicted under the sections in the year: those whose first conviction
    in the proceeding falls in the year, so an appeal upholding a conviction does not
    count the person again."""
    first: dict[int, date] = {}
    people: dict[int, Suspect] = {}
    rows = JudgmentPerson.objects.filter(
        outcome=Outcome.CONVICTED, section__in=list(codes)
    ).select_related("judgment", "suspect")
    for row in rows:
        delivered = row.judgment.delivered_on
        if row.suspect_id not in first or delivered < first[row.suspect_id]:
            first[row.suspect_id] = delivered
            people[row.suspect_id] = row.suspect
    return [people[pk] for pk, on in first.items() if on.year == year]


def _persons_breakdown(prefix: str, persons: list[Suspect]) -> dict[str, int]:
    out: dict[str, int] = {prefix: len(persons), f"{prefix}.men": 0, f"{prefix}.women": 0}
    for person in persons:
        if person.sex == Sex.MALE:
            out[f"{prefix}.men"] += 1
        elif person.sex == Sex.FEMALE:
            out[f"{prefix}.women"] += 1
        key = f"{prefix}.{country_code(person.citizenship) or 'unknown'}"
        out[key] = out.get(key, 0) + 1
    return out


def _trafficking_codes() -> list[str]:
    return [s.code for s in get_profile().legal_sections if s.group == "trafficking"]


def thb_statistics(year: int) -> dict[str, int | float]:
    """justice.thb.*: proceedings under the trafficking section(s)."""
    profile = get_profile()
    codes = _trafficking_codes()
    ids = _section_proceeding_ids(codes)
    out: dict[str, int | float] = {}
    started = Proceeding.objects.filter(id__in=ids, started_on__year=year)
    out["proceedings_started"] = started.count()
    by_form: Counter[str] = Counter()
    for code in started.values_list("exploitation_form", flat=True):
        by_form[(profile.form(code).headline or code) if code else "unknown"] += 1
    for form in profile.exploitation_forms:
        if form.headline is None:
            out[f"proceedings_started.{form.code}"] = by_form[form.code]
    if by_form["unknown"]:
        out["proceedings_started.unknown"] = by_form["unknown"]
    out["injured_parties_in_new_proceedings"] = InjuredParty.objects.filter(
        proceeding__in=started, recognised_on__year__lte=year
    ).count()
    suspects = list(Suspect.objects.filter(proceeding__in=started, suspected_on__year__lte=year))
    out["suspects"] = len(suspects)
    for code, count in Counter(country_code(s.citizenship) or "unknown" for s in suspects).items():
        out[f"suspects.{code}"] = count
    total = PropertyArrest.objects.filter(proceeding_id__in=ids, arrested_on__year=year).aggregate(
        total=Sum("value_eur")
    )["total"] or Decimal("0")
    out["property_arrested_eur"] = float(total)
    out.update(_stage_counts(year, ids))
    for level in ("first_instance", "appeal"):
        out[f"{level}.pending_at_start"] = pending_in_court(
            kind=level, at=date(year, 1, 1), proceeding_ids=ids
        )
        out[f"{level}.pending_at_end"] = pending_in_court(
            kind=level, at=date(year + 1, 1, 1), proceeding_ids=ids
        )
    out.update(_persons_breakdown("convicted_persons", convicted_in_year(year, codes)))
    return {f"justice.thb.{k}": v for k, v in out.items()}


def related_statistics(year: int) -> dict[str, int | float]:
    """justice.related.<section>.*: the report's table of related offences."""
    out: dict[str, int | float] = {}
    for code in get_profile().justice.related_offences_table:
        ids = _section_proceeding_ids([code])
        key = f"justice.related.{code.replace('.', '_')}"
        stages = _stage_counts(year, ids)
        out[f"{key}.started"] = Proceeding.objects.filter(id__in=ids, started_on__year=year).count()
        out[f"{key}.sent_to_prosecution"] = stages["sent_to_prosecution.cases"]
        out[f"{key}.first_instance_examined"] = stages["first_instance.examined"]
        out[f"{key}.appeal_examined"] = stages["appeal.examined"]
        persons = convicted_in_year(year, [code])
        out.update(
            {f"{key}.{k}": v for k, v in _persons_breakdown("convicted_persons", persons).items()}
        )
    return out


def non_punishment_statistics(year: int) -> dict[str, int | float]:
    profile = get_profile()
    laws = {s.code: s.law for s in profile.legal_sections if s.group == "non_punishment"}
    decisions = NonPunishmentDecision.objects.filter(decided_on__year=year)
    out = {
        "penalties_applied_to_victims": 0,
        "released_from_administrative_liability": 0,
        "released_from_criminal_liability": 0,
    }
    for basis, outcome in decisions.values_list("legal_basis", "outcome"):
        if outcome == NonPunishmentOutcome.PENALTY_APPLIED:
            out["penalties_applied_to_victims"] += 1
        elif laws.get(basis) == "administrative_liability_law":
            out["released_from_administrative_liability"] += 1
        else:
            out["released_from_criminal_liability"] += 1
    return {f"justice.non_punishment.{k}": v for k, v in out.items()}


def justice_statistics(year: int) -> dict[str, int | float]:
    """Every justice.* figure of the year, computed from the records."""
    return {**thb_statistics(year), **related_statistics(year), **non_punishment_statistics(year)}


def case_for_linking(*, actor: User, proceeding: Proceeding, code: str) -> Case:
    """The victim case a process director links as injured party, found by its code.

    Only a case its owning service provider has routed to this proceeding's institution
    (victims' routing page) can be linked: the provider decides whom the victim's record
    is shared with, so a code alone never opens a case. The same error for "no such
    case", "not routed here" and "linked elsewhere", so codes cannot be probed."""
    case = Case.objects.select_related("person").filter(person__code=code.strip().upper()).first()
    if case is None or not can_link_case(case, proceeding):
        raise ValidationError(
            {"case_code": _("No victim case with this code can be linked to this proceeding.")}
        )
    audit_read(actor=actor, target=case, purpose="link_injured_party", code=case.person.code)
    return case


def proceeding_suspects(proceeding: Proceeding) -> QuerySet[Suspect]:
    return Suspect.objects.filter(proceeding=proceeding).order_by("label")
