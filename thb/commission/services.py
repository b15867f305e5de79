"""Writes of the specialist commission. Each service is atomic, takes the acting user,
checks the commission's policy, runs its `*_check` (the same function its form runs),
and writes the audit log. The victim register's records change only through its own
services: the submission routes the case (`case_route`), the decision is recorded by
`decision_record`, so the statistics count it as any other commission decision."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thb.accounts.models import User
from thb.audit.models import Action
from thb.audit.services import audit_record
from thb.commission import policy, rules
from thb.commission.models import AgendaItem, Attendance, Meeting, Position, Stance, Submission
from thb.core import validators
from thb.screening.models import Screening
from thb.victims.models import Case, CaseStatus, DecisionKind, IdentificationDecision
from thb.victims.services import (
    Decision,
    case_event_record,
    case_route,
    decision_check,
    decision_record,
)

# Submissions.


def submission_check(
    case: Case,
    *,
    submitted_on: date | None,
    summary: str,
    screening: Screening | None,
    errors: validators.Collect | None = None,
) -> None:
    """Every rule of a submission (the form and the service): the date (not before the
    intake, not ahead), a summary, a screening of this case, a case not yet decided
    nor already before the commission."""
    own = errors is None
    errors = errors or validators.Collect()
    if case.status != CaseStatus.POTENTIAL:
        errors.add(ValidationError(_("The case is already decided.")))
    elif Submission.objects.filter(case=case).exists():
        errors.add(ValidationError(_("The case is already before the commission.")))
    if submitted_on is not None:
        with errors:
            validators.past_date(submitted_on, field="submitted_on")
        if submitted_on < case.intake_date and not errors.failed("submitted_on"):
            errors.add(
                ValidationError({"submitted_on": _("The submission cannot precede the intake.")})
            )
    if not (summary or "").strip():
        errors.add(ValidationError({"summary": _("Write the case summary for the commission.")}))
    else:
        with errors:
            validators.text(summary, field="summary")
    if screening is not None and screening.case_id != case.pk:
        errors.add(ValidationError({"screening": _("The screening is not of this case.")}))
    if own:
        errors.raise_if_any()


def submission_create(
    *,
    actor: User,
    case: Case,
    submitted_on: date,
    summary: str,
    screening: Screening | None = None,
) -> Submission:
    """Put the case before its provider's specialist commission: routes the case (the
    victim register's own service) and starts the commission's deadline."""
    if not policy.can_submit(actor, case):
        raise PermissionDenied(_("You may not put this case before the commission."))
    submission_check(case, submitted_on=submitted_on, summary=summary, screening=screening)
    with transaction.atomic():
        case_route(
            actor=actor,
            case=case,
            submitted_to_commission_on=submitted_on,
            proceeding_institution=case.proceeding_institution,
            proceeding_reference=case.proceeding_reference,
        )
        submission = Submission.objects.create(
            case=case,
            institution=case.institution,
            submitted_on=submitted_on,
            due_on=rules.due_on(submitted_on),
            summary=summary.strip(),
            screening=screening,
            submitted_by=actor,
        )
        case_event_record(
            case=case,
            actor=actor,
            kind="commission.submitted",
            data={"submitted_on": submitted_on, "due_on": submission.due_on},
        )
        audit_record(
            actor=actor,
            action=Action.CREATE,
            target=submission,
            details={"code": case.person.code, "due_on": submission.due_on},
        )
    return submission


# Meetings.


def meeting_check(*, held_on: date | None, errors: validators.Collect | None = None) -> None:
    own = errors is None
    errors = errors or validators.Collect()
    if held_on is not None:
        with errors:
            validators.record_date(held_on, field="held_on")
    if own:
        errors.raise_if_any()


def meeting_create(*, actor: User, held_on: date) -> Meeting:
    """Convene the actor's provider's commission for a day (ahead or past)."""
    if not policy.can_convene(actor) or actor.institution is None:
        raise PermissionDenied(_("Only the provider's commission members convene it."))
    meeting_check(held_on=held_on)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            institution=actor.institution, held_on=held_on, created_by=actor
        )
        audit_record(
            actor=actor, action=Action.CREATE, target=meeting, details={"held_on": held_on}
        )
    return meeting


def _decided(meeting: Meeting) -> bool:
    return meeting.items.filter(decision__isnull=False).exists()


def attendance_check(
    meeting: Meeting,
    *,
    members: Sequence[User],
    chair: User | None,
    errors: validators.Collect | None = None,
) -> None:
    """The members present sit on the meeting's commission; the chair is one of them;
    nothing was decided yet (the decisions name the members present)."""
    own = errors is None
    errors = errors or validators.Collect()
    if _decided(meeting):
        errors.add(ValidationError(_("The meeting has decided: its attendance is closed.")))
    eligible = set(
        User.objects.filter(policy.eligible_members(meeting.institution)).values_list(
            "pk", flat=True
        )
    )
    if any(member.pk not in eligible for member in members):
        errors.add(ValidationError({"members": _("Only the commission's members attend.")}))
    if not members:
        errors.add(ValidationError({"members": _("Mark the members present.")}))
    if chair is not None and all(member.pk != chair.pk for member in members):
        errors.add(ValidationError({"chair": _("The chair must be among the members present.")}))
    if own:
        errors.raise_if_any()


def attendance_record(
    *, actor: User, meeting: Meeting, members: Sequence[User], chair: User | None
) -> Meeting:
    if not policy.can_manage_meeting(actor, meeting):
        raise PermissionDenied(_("Only the provider's commission members keep the meeting."))
    attendance_check(meeting, members=members, chair=chair)
    with transaction.atomic():
        meeting.attendance.all().delete()
        Attendance.objects.bulk_create(Attendance(meeting=meeting, member=m) for m in members)
        meeting.chair = chair
        meeting.save(update_fields=["chair"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            target=meeting,
            details={
                "step": "attendance",
                "members": [m.get_username() for m in members],
                "chair": chair.get_username() if chair is not None else "",
            },
        )
    return meeting


def agenda_check(
    meeting: Meeting,
    *,
    submissions: Sequence[Submission],
    errors: validators.Collect | None = None,
) -> None:
    """The agenda's cases are this provider's, submitted by the meeting's day and not
    decided elsewhere; a case already discussed here (a position or decision) stays."""
    own = errors is None
    errors = errors or validators.Collect()
    for submission in submissions:
        if submission.institution_id != meeting.institution_id:
            errors.add(ValidationError({"submissions": _("A case of another provider.")}))
        elif submission.submitted_on > meeting.held_on:
            errors.add(
                ValidationError(
                    {
                        "submissions": _(
                            "A case submitted after the meeting cannot be on its agenda."
                        )
                    }
                )
            )
        elif (
            submission.case.status != CaseStatus.POTENTIAL
            and not meeting.items.filter(submission=submission).exists()
        ):
            errors.add(ValidationError({"submissions": _("A case that is already decided.")}))
    chosen = {s.pk for s in submissions}
    kept = meeting.items.exclude(submission_id__in=chosen).filter(positions__isnull=False)
    kept = kept | meeting.items.exclude(submission_id__in=chosen).filter(decision__isnull=False)
    if kept.exists():
        errors.add(
            ValidationError(
                {"submissions": _("A case with positions or a decision stays on the agenda.")}
            )
        )
    if own:
        errors.raise_if_any()


def agenda_set(*, actor: User, meeting: Meeting, submissions: Sequence[Submission]) -> Meeting:
    """The meeting's agenda: the chosen cases, numbered in the order of submission."""
    if not policy.can_manage_meeting(actor, meeting):
        raise PermissionDenied(_("Only the provider's commission members keep the meeting."))
    agenda_check(meeting, submissions=submissions)
    chosen = sorted(submissions, key=lambda s: (s.submitted_on, s.pk))
    with transaction.atomic():
        meeting.items.exclude(submission_id__in=[s.pk for s in chosen]).delete()
        existing = {item.submission_id: item for item in meeting.items.all()}
        for number, submission in enumerate(chosen, start=1):
            item = existing.get(submission.pk)
            if item is None:
                AgendaItem.objects.create(meeting=meeting, submission=submission, number=number)
            elif item.number != number:
                item.number = number
                item.save(update_fields=["number"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            target=meeting,
            details={"step": "agenda", "codes": [s.case.person.code for s in chosen]},
        )
    return meeting


# Positions and the decision.


def _held(meeting: Meeting) -> bool:
    return meeting.held_on <= timezone.localdate()


def position_check(
    item: AgendaItem,
    *,
    stance: str,
    reasons: str,
    errors: validators.Collect | None = None,
) -> None:
    """A known position, with reasons unless the member abstains, on a case not yet
    decided, at a meeting that has taken place."""
    own = errors is None
    errors = errors or validators.Collect()
    if item.decision_id is not None:
        errors.add(ValidationError(_("The commission has decided on this case.")))
    if not _held(item.meeting):
        errors.add(ValidationError(_("The meeting has not taken place yet.")))
    if stance and stance not in Stance.values:
        errors.add(ValidationError({"stance": _("Unknown code “%(value)s”.") % {"value": stance}}))
    if stance and stance != Stance.ABSTAIN and not (reasons or "").strip():
        errors.add(ValidationError({"reasons": _("Give the reasons for your position.")}))
    with errors:
        validators.text(reasons or "", field="reasons")
    if own:
        errors.raise_if_any()


def position_record(*, actor: User, item: AgendaItem, stance: str, reasons: str) -> Position:
    """The actor's own position on an agenda case (recorded again: replaced)."""
    if not policy.can_record_position(actor, item):
        raise PermissionDenied(_("Only a member present at the meeting records a position."))
    position_check(item, stance=stance, reasons=reasons)
    with transaction.atomic():
        position, _created = Position.objects.update_or_create(
            item=item, member=actor, defaults={"stance": stance, "reasons": reasons.strip()}
        )
        audit_record(
            actor=actor,
            action=Action.CREATE,
            target=position,
            details={"code": item.submission.case.person.code, "stance": stance},
        )
    return position


def members_text(meeting: Meeting) -> str:
    """The members present as the decision records them: one a line, name and institution."""
    lines = []
    for attendance in meeting.attendance.select_related("member__institution"):
        member = attendance.member
        name = member.get_full_name() or member.get_username()
        institution = member.institution.name if member.institution is not None else ""
        lines.append(f"{name}, {institution}" if institution else name)
    return "\n".join(lines)


def decision_for_item_check(
    item: AgendaItem,
    *,
    recognised: bool | None,
    criteria_met: Sequence[str],
    reasons: str,
    errors: validators.Collect | None = None,
) -> None:
    """The meeting has its quorum, the decision follows the members' positions, and the
    victim register's own rules of a commission decision (`decision_check`)."""
    own = errors is None
    errors = errors or validators.Collect()
    meeting = item.meeting
    if item.decision_id is not None:
        errors.add(ValidationError(_("The commission has decided on this case.")))
    present = [a.member for a in meeting.attendance.select_related("member__institution")]
    if not rules.quorum(present, meeting.chair).met:
        errors.add(ValidationError(_("The meeting has no quorum: it cannot decide.")))
    stances = list(item.positions.values_list("member_id", "stance"))
    expected = rules.called_for(stances, meeting.chair_id)
    if expected is None:
        errors.add(
            ValidationError(
                {"recognised": _("The members' positions call for no decision: record them first.")}
            )
        )
    elif recognised is not None and recognised != expected:
        errors.add(
            ValidationError({"recognised": _("The decision must follow the members' positions.")})
        )
    if recognised is not None:
        case = item.submission.case
        decision_check(
            Decision(
                kind=DecisionKind.COMMISSION,
                decided_on=meeting.held_on,
                recognised=recognised,
                criteria_met=criteria_met,
                reasons=reasons,
                members=members_text(meeting),
            ),
            intake_date=case.intake_date,
            forms=[row.form for row in case.forms.all()],
            errors=errors,
        )
    if own:
        errors.raise_if_any()


def item_decide(
    *,
    actor: User,
    item: AgendaItem,
    recognised: bool,
    criteria_met: Sequence[str],
    reasons: str,
) -> IdentificationDecision:
    """Record the commission's decision on an agenda case, on the meeting's day, with
    the members present: through the victim register's `decision_record`."""
    if not policy.can_decide(actor, item):
        raise PermissionDenied(_("You cannot record the commission's decision on this case."))
    decision_for_item_check(item, recognised=recognised, criteria_met=criteria_met, reasons=reasons)
    meeting = item.meeting
    case = item.submission.case
    with transaction.atomic():
        decision = decision_record(
            actor=actor,
            case=case,
            kind=DecisionKind.COMMISSION,
            decided_on=meeting.held_on,
            recognised=recognised,
            criteria_met=criteria_met,
            reasons=reasons,
            members=members_text(meeting),
        )
        item.decision = decision
        item.save(update_fields=["decision"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            target=item,
            details={"step": "decision", "code": case.person.code, "recognised": recognised},
        )
    return decision
