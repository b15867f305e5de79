"""Reads of criminal proceedings. Record selectors take the acting user and return only
what that user may see; the statistics at the end are aggregates without identities."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from thb.accounts.models import User
from thb.audit.models import Action
from thb.audit.services import audit_read, audit_record
from thb.justice.models import (
    InjuredParty,
    Judgment,
    JudgmentPerson,
    NonPunishmentDecision,
    Proceeding,
    StageEvent,
    Suspect,
)
from thb.justice.policy import (
    can_link_case,
    non_punishment_scope,
    proceeding_scope,
    shows_victim_codes,
)
from thb.victims.models import Case, Sex, country_code


def proceeding_list(
    *,
    actor: User,
    year: int | None = None,
    section: str = "",
    institution: str = "",
    stage: str = "",
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
    if stage == INVESTIGATION:
        proceedings = proceedings.filter(stages__isnull=True)
    elif stage:
        proceedings = proceedings.annotate(current_stage=_current_stage()).filter(
            current_stage=stage
        )
    return proceedings.prefetch_related("sections").order_by(*PROCEEDING_ORDER).distinct()


# The dashboard: proceedings by their latest stage.

# A proceeding with no stage recorded yet: under investigation.
INVESTIGATION = "investigation"


def _current_stage() -> Subquery:
    """The kind of the proceeding's latest stage (None: no stage recorded)."""
    return Subquery(
        StageEvent.objects.filter(proceeding=OuterRef("pk"))
        .order_by("-on", "-id")
        .values("kind")[:1]
    )


def proceeding_stage_counts(*, actor: User) -> dict[str, int]:
    """How many of the proceedings the actor may see stand at each stage (their latest
    stage; INVESTIGATION: none recorded yet): one aggregate query."""
    scope = proceeding_scope(actor)
    if scope is None:
        return {}
    ids = Proceeding.objects.filter(scope).values("id")
    rows = (
        Proceeding.objects.filter(id__in=ids)
        .annotate(current_stage=_current_stage())
        .values("current_stage")
        .annotate(count=Count("id"))
        .order_by()
    )
    return {row["current_stage"] or INVESTIGATION: row["count"] for row in rows}


# The proceedings' order: the latest started first, the id breaking ties (keyset
# paging, thb/core/paging.py).
PROCEEDING_ORDER = ("-started_on", "-id")


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
    """The injured parties of a proceeding the actor has opened (prefetched with their
    cases by proceeding_get_for_user: no query per party). Where the actor is shown
    victims' case codes, the parties linked to a case are a read of those victims'
    records: one audit event per request names them all (parties and codes), as a
    case list does."""
    parties = list(proceeding.injured_parties.all())
    linked = [party for party in parties if party.case is not None]
    if linked and shows_victim_codes(actor):
        audit_record(
            actor=actor,
            action=Action.READ,
            object_type=InjuredParty._meta.label_lower,
            details={
                "purpose": "injured_parties",
                "proceeding": proceeding.pk,
                "parties": [party.pk for party in linked],
                "codes": [party.case.person.code for party in linked if party.case],
            },
            request=request,
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


# Statistics: computed by the justice measures of the figure catalogue
# (thb/justice/figures.py, profiles/<cc>/figures-justice.yaml).


def pending_in_court(*, kind: str, at: date, codes: Iterable[str] | None = None) -> int:
    """Cases received by a court level and not yet examined just before `at`."""
    from thb.justice.figures import pending_in_court as pending

    return pending(kind=kind, at=at, codes=None if codes is None else list(codes))


def justice_statistics(year: int) -> dict[str, int | float]:
    """Every justice.* figure of the catalogue for the year (the justice statistics page
    reads it until that page becomes a view of the report builder)."""
    from thb.reports.catalogue import catalogue, compute_figures

    ids = [figure_id for figure_id in catalogue() if figure_id.startswith("justice.")]
    return dict(compute_figures(year, ids))


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
