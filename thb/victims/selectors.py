"""Reads of the victim register. Every selector that returns records takes the acting
user and returns only what that user's role and institution may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from thb.accounts.models import User
from thb.audit.models import Action
from thb.audit.services import audit_read, audit_record
from thb.core.registry import registry
from thb.victims.models import Case, CaseEvent, CaseStatus
from thb.victims.policy import CasePolicy


def case_list(
    *,
    actor: User,
    year: int | None = None,
    status: str = "",
    form: str = "",
    citizenship: str = "",
) -> QuerySet[Case]:
    scope = CasePolicy.scope(actor)
    if scope is None:
        return Case.objects.none()
    cases = Case.objects.filter(scope).select_related("person", "institution")
    if year:
        cases = cases.filter(Q(intake_date__year=year) | Q(decided_on__year=year))
    if status:
        cases = cases.filter(status=status)
    if form:
        cases = cases.filter(Q(primary_form=form) | Q(primary_form_override=form))
    if citizenship:
        cases = cases.filter(person__citizenship=citizenship)
    return cases.order_by(*CASE_ORDER)


# The case list's order: the newest intake first, the id breaking ties (keyset paging,
# thb/core/paging.py).
CASE_ORDER = ("-intake_date", "-id")


def case_get_for_user(
    *, actor: User, code: str, request: HttpRequest | None = None, purpose: str = "view"
) -> Case:
    """The one way to open a case: 404 for anyone outside its scope; the read is audited."""
    scope = CasePolicy.scope(actor)
    if scope is None:
        raise Http404
    try:
        case = (
            Case.objects.filter(scope)
            .select_related(
                "person", "institution", "proceeding_institution", "referring_institution"
            )
            .get(person__code=code)
        )
    except Case.DoesNotExist:
        raise Http404 from None
    audit_read(actor=actor, target=case, request=request, purpose=purpose, code=code)
    return case


def audit_case_list(
    *, actor: User, cases: list[Case], request: HttpRequest | None = None, purpose: str = "list"
) -> None:
    """A list shows (the API returns) each listed case's profile: one audit event per
    list request names the codes returned (codes only, never identities)."""
    if cases:
        audit_record(
            actor=actor,
            action=Action.READ,
            object_type=Case._meta.label_lower,
            details={"purpose": purpose, "codes": [case.person.code for case in cases]},
            request=request,
        )


@dataclass(frozen=True)
class VictimStatus:
    """The victim status a case holds and the day it was granted: "recognised" (the
    identification decision) or, failing that, "injured_party" (criminal proceedings)."""

    basis: str
    granted_on: date


def case_victim_status(case: Case) -> VictimStatus | None:
    """The one reading of a case's victim status for other apps (the residence track
    opens from it and counts its application deadline from its day); None: no status."""
    if case.status == CaseStatus.RECOGNISED and case.decided_on is not None:
        return VictimStatus("recognised", case.decided_on)
    if case.injured_party_on is not None:
        return VictimStatus("injured_party", case.injured_party_on)
    return None


# The case timeline: by the day things happened.

# The day each of the victim register's own events happened, as its data records it
# (other apps declare theirs with register_case_links).
EVENT_DATES = {
    "intake": "intake_date",
    "decision": "decided_on",
    "injured_party": "on",
    "routed": "commission",
}
# The kinds the timeline shows with their details (victims/_event.html), one a line.
DETAILED_EVENTS = frozenset({"intake", "routed", "decision", "injured_party"})


@dataclass
class TimelineEntry:
    """One line of the case timeline: an event, or a run of events of one kind that
    the timeline shows together ("13 services logged, 2020-05-03 – 2020-05-28")."""

    on: date
    events: list[CaseEvent]

    @property
    def event(self) -> CaseEvent:
        return self.events[0]

    @property
    def count(self) -> int:
        return len(self.events)

    @property
    def last_on(self) -> date:
        return event_date(self.events[-1])

    @property
    def entered_at(self) -> datetime:
        return max(event.at for event in self.events)


def event_date(event: CaseEvent) -> date:
    """The day the event happened: the date its data records under the key its app
    declared, else the day it was entered."""
    key = EVENT_DATES.get(event.kind) or registry.event_dates.get(event.kind)
    value = event.data.get(key) if key and isinstance(event.data, dict) else None
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            pass
    return timezone.localtime(event.at).date()


def case_timeline(case: Case) -> list[TimelineEntry]:
    """The case's events in the order they happened (the day recorded in the event,
    then the time entered). Consecutive events of a kind that the timeline names by
    its label alone (other apps' events: services logged, steps recorded) are one
    line with their count and first and last day; the victim register's own events,
    which show their details, stay one a line."""
    events = sorted(case.events.select_related("actor"), key=lambda e: (event_date(e), e.at, e.id))
    entries: list[TimelineEntry] = []
    for event in events:
        last = entries[-1] if entries else None
        if last is not None and last.event.kind == event.kind and event.kind not in DETAILED_EVENTS:
            last.events.append(event)
        else:
            entries.append(TimelineEntry(on=event_date(event), events=[event]))
    return entries


# The dashboard: the actor's cases by stage.

# The stages of a case as the dashboard counts them, in the order a case goes through
# them; the first two are the open cases (no decision yet).
CASE_STAGES = ("awaiting_routing", "awaiting_decision", "recognised", "not_recognised")


def case_stage_counts(*, actor: User) -> dict[str, int]:
    """How many of the actor's cases are at each stage (CASE_STAGES): one aggregate
    query over the cases the actor may see (none: every count is 0)."""
    scope = CasePolicy.scope(actor)
    if scope is None:
        return dict.fromkeys(CASE_STAGES, 0)
    potential = Q(status=CaseStatus.POTENTIAL)
    routed = Q(submitted_to_commission_on__isnull=False) | Q(proceeding_institution__isnull=False)
    counts = Case.objects.filter(scope).aggregate(
        awaiting_routing=Count("id", filter=potential & ~routed),
        awaiting_decision=Count("id", filter=potential & routed),
        recognised=Count("id", filter=Q(status=CaseStatus.RECOGNISED)),
        not_recognised=Count("id", filter=Q(status=CaseStatus.NOT_RECOGNISED)),
    )
    return {stage: counts[stage] or 0 for stage in CASE_STAGES}
