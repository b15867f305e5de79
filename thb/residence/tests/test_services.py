"""The residence steps and the deadlines they open and close, on real dates."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from thb.accounts.models import Institution, User
from thb.audit.models import AuditEvent
from thb.residence import services
from thb.residence.models import (
    Deadline,
    DeadlineKind,
    DeadlineStatus,
    PermitHolder,
    ResidenceTrack,
)
from thb.victims.models import Case, CaseEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _through_evaluation(case: Case, owner: User, director: User) -> None:
    services.application_record(actor=owner, case=case, submitted_on=date(2020, 10, 3))
    services.reflection_decision_record(
        actor=director, case=case, decided_on=date(2020, 10, 5), granted=True
    )
    services.evaluation_record(
        actor=director,
        case=case,
        evaluated_on=date(2020, 11, 2),
        further_stay_useful=True,
        keeps_contact_with_suspects=False,
    )


def test_it_refuses_an_eu_citizen_naming_the_provision(make_case, owner):
    case = make_case(code="LT0001", citizenship="LT")
    with pytest.raises(ValidationError) as info:
        services.information_record(actor=owner, case=case, given_on=date(2020, 10, 2))
    message = info.value.message_dict["citizenship"][0]
    assert "European Union" in message
    assert "Section 2(2)" in message
    assert not Deadline.objects.exists()


def test_information_opens_the_track_and_the_three_day_application_deadline(case, owner):
    services.information_record(
        actor=owner, case=case, given_on=date(2020, 10, 2), language="Russian"
    )
    deadline = Deadline.objects.get(kind=DeadlineKind.APPLICATION)
    # Status granted on Friday 2 October 2020: three calendar days later is Monday 5 October.
    assert deadline.due_on == date(2020, 10, 5)
    assert deadline.responsible_institution == case.institution
    assert "Section 4(1)" in deadline.legal_basis["en"]
    assert deadline.started_by == "victim_status.recognised"
    assert CaseEvent.objects.filter(case=case, kind="residence.information_given").exists()
    assert AuditEvent.objects.filter(object_type="residence.residencetrack").exists()


def test_an_application_within_three_days_meets_the_deadline(case, owner):
    _track, late = services.application_record(
        actor=owner, case=case, submitted_on=date(2020, 10, 5)
    )
    assert not late
    deadline = Deadline.objects.get(kind=DeadlineKind.APPLICATION)
    assert deadline.status == DeadlineStatus.MET
    assert deadline.met_by == "residence.application"


def test_it_refuses_a_late_application_without_a_reason_naming_the_rule(case, owner):
    with pytest.raises(ValidationError) as info:
        services.application_record(actor=owner, case=case, submitted_on=date(2020, 10, 6))
    message = info.value.message_dict["late_reason"][0]
    assert "within 3 days" in message
    assert "05/10/2020" in message  # the due day, as English writes it
    assert "Section 4(1)" in message
    # Nothing saved: the rules run before the track is opened.
    assert not ResidenceTrack.objects.filter(case=case, application_on__isnull=False).exists()


def test_a_late_application_with_a_reason_is_recorded_and_flagged(case, owner):
    track, late = services.application_record(
        actor=owner, case=case, submitted_on=date(2020, 10, 6), late_reason="in hospital"
    )
    assert late
    assert track.application_late_reason == "in hospital"
    assert Deadline.objects.get(kind=DeadlineKind.APPLICATION).status == DeadlineStatus.MISSED


def test_only_the_owning_caseworker_records_the_application(case, colleague, director):
    for actor in (colleague, director):
        with pytest.raises(PermissionDenied):
            services.application_record(actor=actor, case=case, submitted_on=date(2020, 10, 3))


def test_a_decision_on_a_friday_runs_thirty_days_and_opens_the_evaluation_deadline(
    case, owner, director
):
    services.application_record(actor=owner, case=case, submitted_on=date(2020, 10, 2))
    track = services.reflection_decision_record(
        actor=director, case=case, decided_on=date(2020, 10, 2), granted=True
    )
    assert track.reflection_start == date(2020, 10, 2)
    assert track.reflection_end == date(2020, 10, 31)  # a Saturday
    deadline = Deadline.objects.get(kind=DeadlineKind.EVALUATION)
    # From the next working day after the period (Mon 2 Nov), three working days.
    assert deadline.due_on == date(2020, 11, 4)
    assert deadline.responsible_institution == case.proceeding_institution
    assert deadline.responsible_role == "process_director"
    assert "Section 8(1)" in deadline.legal_basis["en"]


def test_the_evaluation_deadline_across_the_year_end(case, owner, director):
    services.application_record(actor=owner, case=case, submitted_on=date(2020, 10, 3))
    # A period ending on Tuesday 29 December 2020: 31 Dec and 1 Jan are holidays.
    case.decided_on = date(2020, 10, 2)
    track = services.reflection_decision_record(
        actor=director, case=case, decided_on=date(2020, 11, 30), granted=True
    )
    assert track.reflection_end == date(2020, 12, 29)
    assert Deadline.objects.get(kind=DeadlineKind.EVALUATION).due_on == date(2021, 1, 5)


def test_only_the_process_director_of_the_proceeding_decides(case, owner, other_director):
    services.application_record(actor=owner, case=case, submitted_on=date(2020, 10, 3))
    for actor in (owner, other_director):
        with pytest.raises(PermissionDenied):
            services.reflection_decision_record(
                actor=actor, case=case, decided_on=date(2020, 10, 5), granted=True
            )


def test_a_refused_reflection_period_opens_no_evaluation_deadline(case, owner, director):
    services.application_record(actor=owner, case=case, submitted_on=date(2020, 10, 3))
    services.reflection_decision_record(
        actor=director, case=case, decided_on=date(2020, 10, 5), granted=False
    )
    assert not Deadline.objects.filter(kind=DeadlineKind.EVALUATION).exists()


def test_the_evaluation_meets_its_deadline(case, owner, director):
    _through_evaluation(case, owner, director)
    deadline = Deadline.objects.get(kind=DeadlineKind.EVALUATION)
    assert deadline.status == DeadlineStatus.MET
    assert CaseEvent.objects.filter(case=case, kind="residence.evaluation").exists()


def test_it_refuses_a_permit_request_under_six_months_naming_the_rule(case, owner, director, pmlp):
    _through_evaluation(case, owner, director)
    with pytest.raises(ValidationError) as info:
        services.permit_request_record(
            actor=director,
            case=case,
            requested_on=date(2020, 11, 3),
            months=5,
            migration_office=pmlp,
        )
    message = info.value.message_dict["months"][0]
    assert "at least 6 months" in message
    assert "Section 8(3)" in message


def test_it_refuses_a_permit_shorter_than_six_months_naming_the_rule(
    case, owner, director, pmlp, migration_officer
):
    _through_evaluation(case, owner, director)
    request = services.permit_request_record(
        actor=director,
        case=case,
        requested_on=date(2020, 11, 3),
        months=6,
        migration_office=pmlp,
        accompanying_minor_children=1,
    )
    with pytest.raises(ValidationError) as info:
        services.permit_record(
            actor=migration_officer,
            request=request,
            holder=PermitHolder.VICTIM,
            issued_on=date(2020, 11, 10),
            valid_from=date(2020, 11, 10),
            valid_to=date(2021, 5, 8),
        )
    message = info.value.message_dict["valid_to"][0]
    assert "shorter than 6 months" in message
    assert "Section 8(3)" in message
    assert not request.permits.exists()


def test_the_migration_office_records_permits_for_the_victim_and_the_child(
    case, owner, director, pmlp, migration_officer
):
    _through_evaluation(case, owner, director)
    request = services.permit_request_record(
        actor=director,
        case=case,
        requested_on=date(2020, 11, 3),
        months=6,
        migration_office=pmlp,
        accompanying_minor_children=1,
    )
    for holder in (PermitHolder.VICTIM, PermitHolder.CHILD):
        permit = services.permit_record(
            actor=migration_officer,
            request=request,
            holder=holder,
            issued_on=date(2020, 11, 10),
            valid_from=date(2020, 11, 10),
            valid_to=date(2021, 5, 9),
        )
        assert permit.right_to_work
    with pytest.raises(ValidationError, match="1 accompanying"):
        services.permit_record(
            actor=migration_officer,
            request=request,
            holder=PermitHolder.CHILD,
            issued_on=date(2020, 11, 10),
            valid_from=date(2020, 11, 10),
            valid_to=date(2021, 5, 9),
        )
    # An extension follows the permit.
    extension = services.permit_request_record(
        actor=director,
        case=case,
        requested_on=date(2021, 4, 20),
        months=6,
        migration_office=pmlp,
        kind="extension",
    )
    assert extension.kind == "extension"


def test_only_the_addressed_migration_office_records_a_permit(
    case, owner, director, pmlp, make_user, make_institution
):
    _through_evaluation(case, owner, director)
    request = services.permit_request_record(
        actor=director, case=case, requested_on=date(2020, 11, 3), months=6, migration_office=pmlp
    )
    border_guard = make_user("vrs-reporter", "reporter", make_institution("vrs2", "border_guard"))
    with pytest.raises(PermissionDenied):
        services.permit_record(
            actor=border_guard,
            request=request,
            holder=PermitHolder.VICTIM,
            issued_on=date(2020, 11, 10),
            valid_from=date(2020, 11, 10),
            valid_to=date(2021, 5, 9),
        )


def test_an_injured_party_is_evaluated_without_a_reflection_period(make_case, director):
    case = make_case(
        code="IN0001", citizenship="IN", decided_on=None, injured_party_on=date(2020, 6, 1)
    )
    track = services.evaluation_record(
        actor=director,
        case=case,
        evaluated_on=date(2020, 6, 3),
        further_stay_useful=True,
        keeps_contact_with_suspects=False,
    )
    assert track.status_basis == "injured_party"


def test_it_refuses_a_request_when_the_victim_keeps_contact_with_suspects(
    case, owner, director, pmlp: Institution
):
    services.application_record(actor=owner, case=case, submitted_on=date(2020, 10, 3))
    services.reflection_decision_record(
        actor=director, case=case, decided_on=date(2020, 10, 5), granted=True
    )
    services.evaluation_record(
        actor=director,
        case=case,
        evaluated_on=date(2020, 11, 2),
        further_stay_useful=True,
        keeps_contact_with_suspects=True,
    )
    with pytest.raises(ValidationError, match="keeps contact"):
        services.permit_request_record(
            actor=director,
            case=case,
            requested_on=date(2020, 11, 3),
            months=6,
            migration_office=pmlp,
        )


def test_new_victims_get_their_application_deadline_without_anyone_opening_the_page(make_case):
    make_case(code="UZ0001", citizenship="UZ", decided_on=date(2020, 10, 2))
    make_case(code="LT0002", citizenship="LT", decided_on=date(2020, 10, 2))
    make_case(code="UZ0002", citizenship="UZ", decided_on=date(2020, 1, 2))
    assert services.deadlines_open_for_new_victims(today=date(2020, 10, 3)) == 1
    assert Deadline.objects.get().track.case.person.code == "UZ0001"
