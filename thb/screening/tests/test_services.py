"""Recording and attaching screenings: policy, validation, audit, encryption at rest."""

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from thb.accounts.models import Role
from thb.audit.models import AuditEvent
from thb.screening.evaluate import current_version
from thb.screening.models import Screening
from thb.screening.policy import ScreeningPolicy, notes_for
from thb.screening.services import screening_attach, screening_record
from thb.victims.models import CaseEvent
from thb.victims.tests.factories import make_case

TICKS = ["dr.nature_of_job_location_or_employer", "dr.wages_earnings", "cd.debt_bondage"]


@pytest.fixture
def officer(make_user, police):
    return make_user("officer", Role.REPORTER, police)


def _record(actor, **changes):
    data: dict[str, Any] = {
        "list_key": "adult_labour",
        "indicators": TICKS,
        "notes": "Pase atņemta; dzīvo darba vietā.",
        "screened_on": date(2020, 3, 1),
    }
    data.update(changes)
    return screening_record(actor, **data)


def test_a_screening_is_recorded_with_the_version_in_force_and_audited(officer):
    screening = _record(officer)
    assert screening.profile_version == current_version().version
    assert screening.institution == officer.institution
    assert screening.indicators == TICKS
    assert screening.case is None
    event = AuditEvent.objects.get(object_type="screening.screening", object_id=str(screening.pk))
    assert event.action == "create"
    assert event.details["list"] == "adult_labour"
    assert "Pase" not in str(event.details)  # notes never go into the audit log


def test_the_result_is_explained_by_its_own_version(officer):
    result = _record(officer).result()
    assert result.dimension("dr").positive
    assert not result.dimension("cd").positive
    assert not result.sufficient


def test_an_unknown_indicator_is_named_and_nothing_is_saved(officer):
    with pytest.raises(ValidationError) as info:
        _record(officer, indicators=["dr.wages_earnings", "xx.invented"])
    assert "xx.invented" in str(info.value.message_dict["indicators"])
    assert Screening.objects.count() == 0


def test_a_future_date_is_refused(officer):
    with pytest.raises(ValidationError) as info:
        _record(officer, screened_on=date(2999, 1, 1))
    assert "screened_on" in info.value.message_dict


def test_roles_without_victim_work_cannot_record(coordinator, auditor):
    for user in (coordinator, auditor):
        with pytest.raises(PermissionDenied):
            _record(user)


def test_a_screening_recorded_with_a_case_goes_on_its_timeline(owner):
    case = make_case(owner)
    screening = _record(owner, case=case)
    assert screening.case == case
    event = CaseEvent.objects.get(case=case, kind="screening_recorded")
    assert event.data["list"] == "adult_labour" and event.data["sufficient"] is False


def test_only_the_owner_records_a_screening_on_a_case(owner, colleague, officer):
    case = make_case(owner)
    for user in (colleague, officer):
        with pytest.raises(PermissionDenied):
            _record(user, case=case)


def test_a_referral_screening_is_attached_to_the_case_by_its_owner(owner, colleague, officer):
    screening = _record(officer)
    case = make_case(owner)
    with pytest.raises(PermissionDenied):
        screening_attach(colleague, screening, case)
    screening_attach(owner, screening, case)
    screening.refresh_from_db()
    assert screening.case == case
    assert CaseEvent.objects.filter(case=case, kind="screening_attached").exists()
    other = make_case(owner)
    with pytest.raises(ValidationError) as info:
        screening_attach(owner, screening, other)
    assert "case" in info.value.message_dict


def test_notes_are_encrypted_at_rest(officer):
    screening = _record(officer, notes="Unikāla piezīme par Jāni")
    with connection.cursor() as cursor:
        cursor.execute("SELECT notes FROM screening_screening WHERE id = %s", [screening.pk])
        raw = cursor.fetchone()[0]
    assert "Unikāla" not in raw and "Jāni" not in raw
    assert raw.startswith("v2:")  # an AES-256-GCM token (thb.lib.crypto)
    assert Screening.objects.get(pk=screening.pk).notes == "Unikāla piezīme par Jāni"


def test_notes_are_read_only_through_the_policy_and_audited(
    owner, make_user, provider, officer, colleague
):
    case = make_case(owner)
    screening = _record(owner, case=case)
    member = make_user("member", Role.COMMISSION_MEMBER, provider)
    case.submitted_to_commission_on = date(2020, 3, 5)
    case.save(update_fields=["submitted_to_commission_on"])
    screening.refresh_from_db()
    assert ScreeningPolicy.can_view(member, screening)
    assert notes_for(member, screening) is None  # the commission sees no identifying text
    assert not ScreeningPolicy.can_view(colleague, screening)
    assert notes_for(colleague, screening) is None
    assert notes_for(owner, screening) == "Pase atņemta; dzīvo darba vietā."
    assert AuditEvent.objects.filter(
        actor=owner, action="read", object_type="screening.screening"
    ).exists()
    # Without a case: the recording institution only.
    loose = _record(officer)
    assert notes_for(officer, loose) is not None
    assert notes_for(owner, loose) is None


def test_the_victims_intake_service_rolls_back_with_a_bad_screening(owner):
    from thb.screening.services import ScreeningInput
    from thb.victims.models import Person
    from thb.victims.services import ExploitationProfile, Intake, VictimProfile, case_create

    intake = Intake(
        intake_date=date(2020, 3, 2),
        referral_channel="self",
        victim=VictimProfile(sex="female", age_at_identification=15),
        exploitation=ExploitationProfile(forms=[("labour", "")]),
        screening=ScreeningInput(list_key="child_labour", indicators=["cr.nonexistent"]),
    )
    with pytest.raises(ValidationError, match=r"cr\.nonexistent"):
        case_create(actor=owner, intake=intake)
    assert Person.objects.count() == 0 and Screening.objects.count() == 0
    intake.screening = ScreeningInput(
        list_key="child_labour", indicators=["cr.violence_on_victims", "cr.debt_bondage"]
    )
    case = case_create(actor=owner, intake=intake)
    screening = Screening.objects.get(case=case)
    assert screening.result().dimension("cr").positive
    assert screening.screened_on is not None
