"""Reads of the residence track. The timeline is open to the owning institution's
caseworkers and the process director of the case's proceeding (through the victim
register's case access, which audits the read); PMLP sees only the permit requests
addressed to it; the deadlines of an institution are seen by its users in the
responsible role."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from thb.accounts.models import User
from thb.audit.services import audit_read
from thb.core.paging import Page, keyset_page
from thb.profiles import get_profile
from thb.residence.models import (
    Deadline,
    PermitHolder,
    PermitRequest,
    ResidencePermit,
    ResidenceTrack,
)
from thb.residence.policy import (
    can_open_tracks,
    can_see_track,
    deadline_scope,
    permit_request_scope,
)
from thb.victims.models import Case
from thb.victims.selectors import audit_case_list, case_get_for_user


def residence_case_get_for_user(
    *, actor: User, code: str, request: HttpRequest | None = None
) -> Case:
    """The case behind a residence timeline: 404 unless the actor is a caseworker of
    the owning institution or the process director of its proceeding."""
    if not can_open_tracks(actor):
        raise Http404
    case = case_get_for_user(actor=actor, code=code, request=request, purpose="residence")
    if not can_see_track(actor, case):
        raise Http404
    return case


def track_for_case(
    case: Case, *, actor: User | None = None, request: HttpRequest | None = None
) -> ResidenceTrack | None:
    """The case's track; given the actor (who has opened the case through
    `residence_case_get_for_user`), the read of the track itself is audited."""
    track = ResidenceTrack.objects.filter(case=case).first()
    if track is not None and actor is not None:
        audit_read(
            actor=actor,
            target=track,
            request=request,
            purpose="residence_track",
            code=case.person.code,
        )
    return track


def track_deadlines(track: ResidenceTrack | None) -> list[Deadline]:
    if track is None:
        return []
    return list(track.deadlines.select_related("responsible_institution").order_by("due_on"))


def track_requests(track: ResidenceTrack | None) -> list[PermitRequest]:
    if track is None:
        return []
    return list(track.requests.select_related("migration_office").prefetch_related("permits"))


# Deadlines page.


@dataclass
class DeadlineView:
    overdue: list[Deadline]
    due_soon: list[Deadline]
    horizon: date
    # The page shown (deadline_page); None when the view holds every open deadline.
    page: Page[Deadline] | None = None


# The deadlines' order: the earliest due first (overdue ones before those due soon),
# the id breaking ties (thb/core/paging.py).
DEADLINE_ORDER = ("due_on", "id")


def _open_deadlines(*, actor: User, horizon: date) -> QuerySet[Deadline]:
    scope = deadline_scope(actor)
    if scope is None:
        return Deadline.objects.none()
    return Deadline.objects.filter(
        scope, met_on__isnull=True, cancelled_on__isnull=True, due_on__lte=horizon
    ).select_related("track__case__person", "responsible_institution")


def _horizon(today: date) -> date:
    return today + timedelta(days=get_profile().residence.due_soon_days)


def deadline_list(*, actor: User, today: date | None = None) -> DeadlineView:
    """Every open deadline of the actor's institution: overdue, and due within the
    profile's `due_soon_days` (7 in Latvia). The reminder mail reads them all; the
    page and the API read them a page at a time (deadline_page)."""
    today = today or timezone.localdate()
    horizon = _horizon(today)
    open_ = _open_deadlines(actor=actor, horizon=horizon).order_by(*DEADLINE_ORDER)
    overdue = [d for d in open_ if d.due_on < today]
    due_soon = [d for d in open_ if d.due_on >= today]
    return DeadlineView(overdue, due_soon, horizon)


def deadline_page(
    *, actor: User, cursor: str | None = None, size: int | None = None, today: date | None = None
) -> DeadlineView:
    """One page of the actor's open deadlines (ValueError: not a cursor), split into
    overdue and due soon."""
    today = today or timezone.localdate()
    horizon = _horizon(today)
    page = keyset_page(
        _open_deadlines(actor=actor, horizon=horizon),
        order=DEADLINE_ORDER,
        cursor=cursor,
        size=size,
    )
    overdue = [d for d in page.items if d.due_on < today]
    due_soon = [d for d in page.items if d.due_on >= today]
    return DeadlineView(overdue, due_soon, horizon, page=page)


def audit_deadline_list(
    *,
    actor: User,
    deadlines: list[Deadline],
    requests: Sequence[PermitRequest] = (),
    request: HttpRequest | None = None,
) -> None:
    """The deadlines list shows case codes: one audit event names the cases listed."""
    cases = {d.track.case_id: d.track.case for d in deadlines}
    cases.update({r.track.case_id: r.track.case for r in requests})
    audit_case_list(
        actor=actor, cases=list(cases.values()), request=request, purpose="residence_deadlines"
    )


def permit_requests_pending(*, actor: User) -> QuerySet[PermitRequest]:
    """Requests addressed to the actor's migration office with no permit for the victim."""
    scope = permit_request_scope(actor)
    if scope is None:
        return PermitRequest.objects.none()
    return (
        PermitRequest.objects.filter(scope)
        .exclude(permits__holder=PermitHolder.VICTIM)
        .select_related("track__case__person")
        .order_by("requested_on", "id")
    )


def permit_request_get_for_user(
    *, actor: User, pk: int, request: HttpRequest | None = None
) -> PermitRequest:
    """A permit request, for the migration office it is addressed to (404 otherwise)."""
    scope = permit_request_scope(actor)
    if scope is None:
        raise Http404
    try:
        permit_request = PermitRequest.objects.select_related(
            "track__case__person", "migration_office"
        ).get(scope, pk=pk)
    except PermitRequest.DoesNotExist:
        raise Http404 from None
    audit_read(
        actor=actor,
        target=permit_request,
        request=request,
        purpose="permit",
        code=permit_request.track.case.person.code,
    )
    return permit_request


# Figures: counts only.


def reflection_periods_granted(year: int) -> int:
    return ResidenceTrack.objects.filter(
        reflection_granted=True, reflection_decided_on__year=year
    ).count()


def residence_permits_granted(year: int) -> int:
    """Victims (not their children) who were issued a temporary residence permit in the
    year, each counted once."""
    return (
        ResidencePermit.objects.filter(holder=PermitHolder.VICTIM, issued_on__year=year)
        .values("request__track")
        .distinct()
        .count()
    )


def deadline_counts(*, actor: User, today: date | None = None) -> tuple[int, int]:
    """(overdue, due within the profile's `due_soon_days`) of the actor's open
    deadlines: one aggregate query (the dashboard)."""
    today = today or timezone.localdate()
    counts = _open_deadlines(actor=actor, horizon=_horizon(today)).aggregate(
        overdue=Count("id", filter=Q(due_on__lt=today)),
        due_soon=Count("id", filter=Q(due_on__gte=today)),
    )
    return counts["overdue"] or 0, counts["due_soon"] or 0


def deadline_horizon(today: date) -> date:
    """The last day of the deadlines page's "due soon" (the profile's due_soon_days)."""
    return _horizon(today)
