"""Who may see and do what with the specialist commission: the only place the rule is
written.

- The commission of a provider (profile `commission.convening_institutions`) sits with
  the provider's own commission members and the commission members of the member
  institutions (`commission.member_institutions`), who sit on every provider's
  commission. A commission member sees the cases put before the commissions they sit
  on, as a summary (case code, sex, age, citizenship, screening result, exploitation
  profile, the provider's summary) and never the identity, and those commissions'
  meetings. Nobody else sees a meeting.
- A provider's caseworker puts its own cases before the commission (the victim
  register's routing right, thb/victims/policy.py) and sees its own submissions'
  status and deadlines.
- The provider's commission members convene a meeting and keep its attendance and
  agenda. A member present at the meeting records their own position on each case;
  the decision is recorded by a present member who may record the commission's
  decision on the case (thb/victims/policy.py `can_decide`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from thb.accounts.models import Institution, Role, User
from thb.core.routes import Route, ok, route
from thb.profiles import get_profile
from thb.victims.models import CaseStatus, DecisionKind
from thb.victims.policy import CasePolicy

if TYPE_CHECKING:
    from thb.commission.models import AgendaItem, Meeting, Submission
    from thb.victims.models import Case


def _codes(actor: User) -> str:
    return actor.institution.code if actor.institution is not None else ""


def is_convening(institution: Institution) -> bool:
    return institution.code in get_profile().commission.convening_institutions


def commissions_of(actor: User) -> Q | None:
    """The providers whose commission the actor sits on, as a filter on institution, or
    None: the own provider for its members, every convening provider for a member
    institution's representatives."""
    if not actor.is_active or actor.role != Role.COMMISSION_MEMBER or actor.institution is None:
        return None
    section = get_profile().commission
    code = _codes(actor)
    if code in section.convening_institutions:
        return Q(institution_id=actor.institution_id)
    if code in section.member_institutions:
        return Q(institution__code__in=section.convening_institutions)
    return None


def sits_on(actor: User, institution_id: int) -> bool:
    """Whether the actor sits on this provider's commission."""
    if commissions_of(actor) is None or actor.institution is None:
        return False
    section = get_profile().commission
    if _codes(actor) in section.member_institutions:
        return Institution.objects.filter(
            pk=institution_id, code__in=section.convening_institutions
        ).exists()
    return actor.institution_id == institution_id


def eligible_members(institution: Institution) -> Q:
    """The users who sit on this provider's commission (as a filter on users)."""
    section = get_profile().commission
    return Q(is_active=True, role=Role.COMMISSION_MEMBER) & (
        Q(institution_id=institution.pk) | Q(institution__code__in=section.member_institutions)
    )


# Submissions.


def can_submit(actor: User, case: Case) -> bool:
    """The owning caseworker of a convening provider, for a case not yet decided."""
    return (
        CasePolicy(actor, case).can_route
        and case.status == CaseStatus.POTENTIAL
        and is_convening(case.institution)
    )


def submission_scope(actor: User) -> Q | None:
    """The submissions the actor may see: the provider's own, or those of the
    commissions the actor sits on."""
    if actor.is_active and actor.role == Role.CASEWORKER and actor.institution_id is not None:
        return Q(institution_id=actor.institution_id)
    return commissions_of(actor)


def can_view_submission(actor: User, submission: Submission) -> bool:
    if actor.role == Role.CASEWORKER:
        return CasePolicy(actor, submission.case).is_owner
    return sits_on(actor, submission.institution_id)


def can_use(actor: User) -> bool:
    """The commission's pages: its members and the convening providers' caseworkers."""
    if commissions_of(actor) is not None:
        return True
    return (
        actor.is_active
        and actor.role == Role.CASEWORKER
        and actor.institution is not None
        and is_convening(actor.institution)
    )


# Meetings.


def meeting_scope(actor: User) -> Q | None:
    return commissions_of(actor)


def can_convene(actor: User) -> bool:
    """The provider's own commission members convene its commission."""
    return (
        commissions_of(actor) is not None
        and actor.institution is not None
        and is_convening(actor.institution)
    )


def can_view_meeting(actor: User, meeting: Meeting) -> bool:
    return sits_on(actor, meeting.institution_id)


def can_manage_meeting(actor: User, meeting: Meeting) -> bool:
    """Attendance and agenda: the convening provider's commission members."""
    return can_convene(actor) and actor.institution_id == meeting.institution_id


def is_present(actor: User, meeting: Meeting) -> bool:
    return meeting.attendance.filter(member_id=actor.pk).exists()


def can_record_position(actor: User, item: AgendaItem) -> bool:
    return (
        item.decision_id is None
        and can_view_meeting(actor, item.meeting)
        and is_present(actor, item.meeting)
    )


def can_decide(actor: User, item: AgendaItem) -> bool:
    return (
        item.decision_id is None
        and is_present(actor, item.meeting)
        and CasePolicy(actor, item.submission.case).can_decide(DecisionKind.COMMISSION)
    )


# Expected statuses of this app's routes (thb/core/routes.py explains the table).
ROUTES: dict[str, Route] = {
    "commission:index": ok("caseworker", "commission", shows_codes=True),
    "commission:submit": route(
        "case", default=404, caseworker=200, commission=403, director=403, shows_codes=True
    ),
    "commission:meeting_new": ok("commission"),
    "commission:meeting_detail": ok("commission", kind="meeting", default=404, shows_codes=True),
    "commission:meeting_attendance": ok(
        "commission", kind="meeting", default=404, shows_codes=True
    ),
    "commission:meeting_agenda": ok("commission", kind="meeting", default=404, shows_codes=True),
    "commission:minutes": ok("commission", kind="meeting", default=404, shows_codes=True),
    "commission:item_detail": ok("commission", kind="agenda_item", default=404, shows_codes=True),
}
