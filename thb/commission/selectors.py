"""Reads of the specialist commission, scoped through thb/commission/policy.py. The
commission's pages show a case as a summary built here (pseudonymous code, sex, age,
citizenship, screening result, exploitation profile, the provider's summary); the
identity is never read. Every read that shows case codes is audited, naming them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from thb.accounts.models import User
from thb.audit.models import Action
from thb.audit.services import audit_record
from thb.commission import policy, rules
from thb.commission.models import AgendaItem, Meeting, Position, Stance, Submission
from thb.core.forms import country_name
from thb.core.languages import current_language
from thb.core.registry import DeadlineItem
from thb.profiles import get_profile
from thb.screening.selectors import ScreeningView
from thb.victims.models import Case, CaseStatus


def audit_codes(
    *,
    actor: User,
    codes: Sequence[str],
    request: HttpRequest | None = None,
    purpose: str,
) -> None:
    """One read event naming the case codes a page shows (codes only, never identities)."""
    if not codes:
        return
    audit_record(
        actor=actor,
        action=Action.READ,
        object_type=Case._meta.label_lower,
        details={"purpose": purpose, "codes": sorted(set(codes))},
        request=request,
    )


# Case summaries.


@dataclass(frozen=True)
class CaseSummary:
    """What the commission reads about a submitted case: no identity."""

    submission: Submission
    code: str
    sex: str
    age: int | None
    citizenship: str  # ISO code (the template names it)
    forms: list[str]  # labels, with the sector for labour
    places: list[str]
    recruitment: str
    screening: ScreeningView | None
    summary: str
    decided: bool
    status: str

    @property
    def overdue(self) -> bool:
        return not self.decided and self.submission.due_on < timezone.localdate()


def _screening_view(submission: Submission, language: str) -> ScreeningView | None:
    screening = submission.screening
    if screening is None:
        return None
    result = screening.result()
    *lines, conclusion = result.lines(language)
    # The notes are free text about the person: never on the commission's pages.
    return ScreeningView(
        screening=screening,
        result=result,
        list_label=result.list_label.get(language),
        dimension_lines=lines,
        conclusion=conclusion,
        notes=None,
    )


def summarise(submission: Submission) -> CaseSummary:
    """The summary of a submission the caller's policy check let through."""
    language = current_language()
    profile = get_profile()
    case = submission.case
    forms = []
    for row in case.forms.all():
        label = profile.label("exploitation_forms", row.form, language)
        if row.sector:
            label += f" ({profile.label('labour_sectors', row.sector, language)})"
        forms.append(label)
    places = []
    for place in case.places.all():
        name = country_name(str(getattr(place.country, "code", place.country)))
        if place.region:
            name += f" ({profile.label('regions', place.region, language)})"
        places.append(name)
    return CaseSummary(
        submission=submission,
        code=case.person.code,
        sex=case.person.get_sex_display(),
        age=case.age_at_identification,
        citizenship=str(getattr(case.person.citizenship, "code", case.person.citizenship) or ""),
        forms=forms,
        places=places,
        recruitment=profile.label("recruitment_methods", case.recruitment_method, language),
        screening=_screening_view(submission, language),
        summary=submission.summary,
        decided=case.status != CaseStatus.POTENTIAL,
        status=case.get_status_display(),
    )


def _submissions() -> QuerySet[Submission]:
    return Submission.objects.select_related(
        "case__person", "institution", "screening__screened_by", "screening__institution"
    ).prefetch_related("case__forms", "case__places")


def submissions_for(actor: User) -> QuerySet[Submission]:
    """Every submission the actor may see (the provider's own, or the commissions')."""
    scope = policy.submission_scope(actor)
    if scope is None:
        return Submission.objects.none()
    return _submissions().filter(scope).order_by("due_on", "id")


def awaiting(actor: User) -> QuerySet[Submission]:
    """The submitted cases not yet decided, soonest due first."""
    return submissions_for(actor).filter(case__status=CaseStatus.POTENTIAL)


def submission_for_case(actor: User, case: Case) -> Submission | None:
    found = submissions_for(actor).filter(case=case).first()
    return found if found is not None and policy.can_view_submission(actor, found) else None


# Meetings.


def meetings_for(actor: User) -> QuerySet[Meeting]:
    scope = policy.meeting_scope(actor)
    if scope is None:
        return Meeting.objects.none()
    return Meeting.objects.filter(scope).select_related("institution", "chair")


def meeting_get_for_user(actor: User, pk: int) -> Meeting:
    """The one way to open a meeting: 404 outside the actor's commissions."""
    found = meetings_for(actor).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def item_get_for_user(actor: User, pk: int) -> AgendaItem:
    scope = policy.meeting_scope(actor)
    if scope is None:
        raise Http404
    found = (
        AgendaItem.objects.filter(meeting__in=Meeting.objects.filter(scope), pk=pk)
        .select_related("meeting__institution", "meeting__chair", "decision")
        .first()
    )
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class PositionRow:
    member: str
    institution: str
    stance: str
    stance_label: str
    reasons: str


@dataclass(frozen=True)
class ItemView:
    item: AgendaItem
    case: CaseSummary
    positions: list[PositionRow]
    called_for: bool | None
    criteria: list[str] = field(default_factory=list)  # labels of the decision's criteria


@dataclass(frozen=True)
class MeetingView:
    meeting: Meeting
    members: list[User]  # present
    chair: User | None
    quorum: rules.Quorum
    items: list[ItemView]

    @property
    def codes(self) -> list[str]:
        return [item.case.code for item in self.items]


def _name(user: User) -> str:
    return user.get_full_name() or user.get_username()


def item_view(item: AgendaItem) -> ItemView:
    language = current_language()
    profile = get_profile()
    positions = [
        PositionRow(
            member=_name(p.member),
            institution=p.member.institution.display_name(language) if p.member.institution else "",
            stance=p.stance,
            stance_label=str(Stance(p.stance).label),
            reasons=p.reasons,
        )
        for p in Position.objects.filter(item=item).select_related("member__institution")
    ]
    stances = [(p.member_id, p.stance) for p in Position.objects.filter(item=item)]
    submission = _submissions().get(pk=item.submission_id)
    criteria = []
    if item.decision is not None:
        criteria = [
            profile.label("identification_criteria", code, language)
            for code in item.decision.criteria_met
        ]
    return ItemView(
        item=item,
        case=summarise(submission),
        positions=positions,
        called_for=rules.called_for(stances, item.meeting.chair_id),
        criteria=criteria,
    )


def meeting_view(meeting: Meeting) -> MeetingView:
    present = [
        a.member for a in meeting.attendance.select_related("member__institution").order_by("id")
    ]
    items = [
        item_view(item)
        for item in meeting.items.select_related("meeting__chair", "decision").order_by("number")
    ]
    return MeetingView(
        meeting=meeting,
        members=present,
        chair=meeting.chair,
        quorum=rules.quorum(present, meeting.chair),
        items=items,
    )


# Deadlines (declared with register_deadlines).


def submission_deadlines(*, actor: User, today: date, horizon: date) -> list[DeadlineItem]:
    """The submitted cases the commission has not decided, due by the horizon (overdue
    ones included): on the provider's deadlines page and the commission's page."""
    if policy.submission_scope(actor) is None:
        return []
    url = reverse("commission:index")
    due = list(awaiting(actor).filter(due_on__lte=horizon))
    # The list shows the case codes: the read is audited here, where they are read.
    audit_codes(actor=actor, codes=[s.case.person.code for s in due], purpose="deadlines")
    return [
        DeadlineItem(
            what=_("Consider the case at the specialist commission"),
            reference=submission.case.person.code,
            url=url,
            started_on=submission.submitted_on,
            due_on=submission.due_on,
            basis=get_profile().commission.legal_basis.get(current_language()),
        )
        for submission in due
    ]


def agenda_choices(actor: User, meeting: Meeting) -> QuerySet[Submission]:
    """The cases a meeting's agenda may hold: its provider's cases submitted by the
    meeting's day and not yet decided, and those already on it."""
    on_agenda = meeting.items.values_list("submission_id", flat=True)
    undecided = Q(case__status=CaseStatus.POTENTIAL, submitted_on__lte=meeting.held_on)
    return (
        submissions_for(actor)
        .filter(institution_id=meeting.institution_id)
        .filter(undecided | Q(pk__in=on_agenda))
        .order_by("submitted_on", "id")
    )
