"""The commission's services: the submission routes the case through the victim
register, the meeting decides only with its quorum and as its members' positions say,
and the decision is the victim register's own commission decision."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from thb.audit.models import AuditEvent
from thb.commission import services
from thb.commission.models import Stance
from thb.victims.models import CaseEvent, CaseStatus, DecisionKind, IdentificationDecision

pytestmark = pytest.mark.django_db


def _meeting(chair, members, submissions, held_on=date(2020, 3, 20)):
    meeting = services.meeting_create(actor=chair, held_on=held_on)
    services.attendance_record(actor=chair, meeting=meeting, members=members, chair=chair)
    services.agenda_set(actor=chair, meeting=meeting, submissions=submissions)
    return meeting


def test_the_submission_routes_the_case_and_starts_the_deadline(owner, make_case):
    case = make_case(owner)
    submission = services.submission_create(
        actor=owner, case=case, submitted_on=date(2020, 3, 10), summary="Summary."
    )
    case.refresh_from_db()
    assert case.submitted_to_commission_on == date(2020, 3, 10)
    assert submission.due_on == date(2020, 4, 9)
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert "routed" in kinds and "commission.submitted" in kinds
    assert AuditEvent.objects.filter(object_type="commission.submission", action="create").exists()


def test_the_submission_check_reports_every_problem_at_once(owner, make_case):
    case = make_case(owner)
    with pytest.raises(ValidationError) as caught:
        services.submission_create(
            actor=owner, case=case, submitted_on=date(2020, 1, 1), summary="  "
        )
    assert set(caught.value.message_dict) == {"submitted_on", "summary"}


def test_only_the_owning_caseworker_submits(owner, colleague, chair, make_case):
    case = make_case(owner)
    for actor in (colleague, chair):
        with pytest.raises(PermissionDenied):
            services.submission_create(
                actor=actor, case=case, submitted_on=date(2020, 3, 10), summary="S."
            )


def test_a_case_goes_before_the_commission_once(owner, submitted):
    with pytest.raises(ValidationError):
        services.submission_create(
            actor=owner, case=submitted.case, submitted_on=date(2020, 3, 11), summary="Again."
        )


def test_attendance_takes_only_the_commissions_members(chair, police_member, other_member):
    meeting = services.meeting_create(actor=chair, held_on=date(2020, 3, 20))
    with pytest.raises(ValidationError) as caught:
        services.attendance_record(
            actor=chair, meeting=meeting, members=[chair, other_member], chair=police_member
        )
    assert set(caught.value.message_dict) == {"members", "chair"}


def test_a_member_institutions_representative_cannot_convene(police_member, other_member):
    with pytest.raises(PermissionDenied):
        services.meeting_create(actor=police_member, held_on=date(2020, 3, 20))


def test_only_a_present_member_records_a_position(chair, psychologist, police_member, submitted):
    meeting = _meeting(chair, [chair, police_member], [submitted])
    item = meeting.items.get()
    with pytest.raises(PermissionDenied):
        services.position_record(actor=psychologist, item=item, stance="recognise", reasons="R.")
    with pytest.raises(ValidationError) as caught:
        services.position_record(actor=police_member, item=item, stance="recognise", reasons="")
    assert "reasons" in caught.value.message_dict
    services.position_record(actor=police_member, item=item, stance=Stance.ABSTAIN, reasons="")
    services.position_record(actor=police_member, item=item, stance="recognise", reasons="R.")
    assert item.positions.get().stance == "recognise"  # recorded again: replaced


def test_the_decision_needs_the_quorum(chair, police_member, submitted):
    meeting = _meeting(chair, [chair, police_member], [submitted])
    item = meeting.items.get()
    for member in (chair, police_member):
        services.position_record(actor=member, item=item, stance="recognise", reasons="R.")
    with translation.override("en"), pytest.raises(ValidationError, match="quorum"):
        services.item_decide(
            actor=chair,
            item=item,
            recognised=True,
            criteria_met=["purpose_exploitation"],
            reasons="",
        )


def test_the_decision_follows_the_positions_and_is_the_registers_decision(
    chair, psychologist, police_member, submitted
):
    meeting = _meeting(chair, [chair, psychologist, police_member], [submitted])
    item = meeting.items.get()
    services.position_record(actor=chair, item=item, stance="recognise", reasons="Deceived.")
    services.position_record(actor=police_member, item=item, stance="recognise", reasons="Fits.")
    services.position_record(actor=psychologist, item=item, stance="not_recognise", reasons="No.")
    with pytest.raises(ValidationError) as caught:
        services.item_decide(
            actor=chair, item=item, recognised=False, criteria_met=[], reasons="Not."
        )
    assert "recognised" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.item_decide(actor=chair, item=item, recognised=True, criteria_met=[], reasons="")
    assert "criteria_met" in caught.value.message_dict  # decision_check's own rule
    with pytest.raises(PermissionDenied):  # the police member may not decide a MARTA case
        services.item_decide(
            actor=police_member,
            item=item,
            recognised=True,
            criteria_met=["purpose_exploitation"],
            reasons="",
        )
    decision = services.item_decide(
        actor=chair,
        item=item,
        recognised=True,
        criteria_met=["act_recruitment_transport", "purpose_exploitation"],
        reasons="Meets the criteria.",
    )
    assert decision == IdentificationDecision.objects.get(case=submitted.case)
    assert decision.kind == DecisionKind.COMMISSION and decision.decided_on == meeting.held_on
    assert decision.members.splitlines() == [
        "Anna Vadītāja, Centrs MARTA",
        "psychologist, Centrs MARTA",
        "police_member, Valsts policija",
    ]
    submitted.case.refresh_from_db()
    assert submitted.case.status == CaseStatus.RECOGNISED
    item.refresh_from_db()
    assert item.decision == decision
    with pytest.raises(PermissionDenied):  # decided: no more positions
        services.position_record(actor=chair, item=item, stance="abstain", reasons="")


def test_a_tie_is_broken_by_the_chair(chair, psychologist, police_member, submitted):
    meeting = _meeting(chair, [chair, psychologist, police_member], [submitted])
    item = meeting.items.get()
    services.position_record(actor=chair, item=item, stance="not_recognise", reasons="No.")
    services.position_record(actor=police_member, item=item, stance="recognise", reasons="Yes.")
    services.position_record(actor=psychologist, item=item, stance="abstain", reasons="")
    decision = services.item_decide(
        actor=chair, item=item, recognised=False, criteria_met=[], reasons="The chair decides."
    )
    assert decision.recognised is False


def test_the_agenda_keeps_its_own_providers_undecided_cases(
    chair, other_member, colleague, make_case, submitted
):
    other = make_case(colleague)
    foreign = services.submission_create(
        actor=colleague, case=other, submitted_on=date(2020, 3, 10), summary="S."
    )
    meeting = services.meeting_create(actor=chair, held_on=date(2020, 3, 20))
    with pytest.raises(ValidationError):
        services.agenda_set(actor=chair, meeting=meeting, submissions=[submitted, foreign])
    early = services.meeting_create(actor=chair, held_on=date(2020, 3, 5))
    with pytest.raises(ValidationError):  # submitted after that meeting
        services.agenda_set(actor=chair, meeting=early, submissions=[submitted])
    services.agenda_set(actor=chair, meeting=meeting, submissions=[submitted])
    assert [i.submission for i in meeting.items.all()] == [submitted]
