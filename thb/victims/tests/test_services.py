"""The rules of the register as the services enforce them: bad input is refused with a
message naming the field, and nothing is saved."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from thb.accounts.models import Role
from thb.audit.models import AuditEvent
from thb.victims.models import Case, CaseEvent, CaseStatus, DecisionKind, Person
from thb.victims.services import (
    ExploitationProfile,
    Intake,
    VictimProfile,
    case_create,
    case_route,
    case_update_profile,
    decision_record,
)
from thb.victims.tests.factories import make_case


def _intake(**changes):
    base: dict[str, Any] = {
        "intake_date": date(2020, 3, 2),
        "referral_channel": "self",
        "victim": VictimProfile(sex="male", citizenship="TJ", age_at_identification=31),
        "exploitation": ExploitationProfile(forms=(("labour", "construction"),)),
    }
    base.update(changes)
    return Intake(**base)


def _field_of(error: ValidationError) -> list[str]:
    return list(error.message_dict)


def test_an_intake_creates_person_case_timeline_and_audit(owner):
    case = make_case(owner, forms=(("sexual", ""), ("labour", "")))
    assert case.status == CaseStatus.POTENTIAL
    assert case.primary_form == "sexual"
    assert case.person.code.startswith("CTU-2020-")
    assert CaseEvent.objects.filter(case=case, kind="intake").exists()
    assert AuditEvent.objects.filter(
        object_type="victims.case", object_id=str(case.pk), action="create"
    ).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"referral_channel": "carrier_pigeon"}, "referral_channel"),
        # Well in the future: parameters are computed at collection, maybe just before midnight.
        ({"intake_date": timezone.localdate() + timedelta(days=30)}, "intake_date"),
        ({"victim": VictimProfile(sex="male", citizenship="XX")}, "citizenship"),
        ({"victim": VictimProfile(sex="robot")}, "sex"),
        ({"victim": VictimProfile(sex="male", education="phd_in_magic")}, "education"),
        ({"exploitation": ExploitationProfile(forms=(("juggling", ""),))}, "forms"),
        ({"exploitation": ExploitationProfile(forms=(("sexual", "construction"),))}, "forms"),
        ({"exploitation": ExploitationProfile(places=(("DE", "riga"),))}, "places"),
        (
            {"exploitation": ExploitationProfile(recruitment_method="telepathy")},
            "recruitment_method",
        ),
        (
            {
                "exploitation": ExploitationProfile(
                    forms=(("labour", ""),),
                    primary_form_override="sexual",
                    primary_form_override_reason="x",
                )
            },
            "primary_form_override",
        ),
        (
            {
                "exploitation": ExploitationProfile(
                    forms=(("labour", ""), ("sexual", "")), primary_form_override="labour"
                )
            },
            "primary_form_override_reason",
        ),
    ],
)
def test_bad_intake_is_refused_naming_the_field_and_saves_nothing(owner, changes, field):
    with pytest.raises(ValidationError) as info:
        case_create(actor=owner, intake=_intake(**changes))
    assert field in _field_of(info.value)
    assert Person.objects.count() == 0
    assert Case.objects.count() == 0


def test_only_a_caseworker_records_an_intake(coordinator):
    with pytest.raises(PermissionDenied):
        case_create(actor=coordinator, intake=_intake())


def test_a_commission_decision_needs_members(owner):
    case = make_case(owner)
    with pytest.raises(ValidationError) as info:
        decision_record(
            actor=owner,
            case=case,
            kind=DecisionKind.COMMISSION,
            decided_on=date(2020, 3, 20),
            recognised=True,
            criteria_met=["purpose_exploitation"],
            members="  \n ",
        )
    assert _field_of(info.value) == ["members"]
    case.refresh_from_db()
    assert case.status == CaseStatus.POTENTIAL
    assert not case.decisions.exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"decided_on": timezone.localdate() + timedelta(days=30)}, "decided_on"),
        ({"decided_on": date(2020, 1, 1)}, "decided_on"),  # before the intake
        ({"criteria_met": ["vibes"]}, "criteria_met"),
        ({"criteria_met": []}, "criteria_met"),
        ({"recognised": False, "criteria_met": [], "reasons": ""}, "reasons"),
    ],
)
def test_bad_decisions_are_refused(owner, kwargs, field):
    case = make_case(owner)
    args: dict[str, Any] = {
        "decided_on": date(2020, 3, 20),
        "recognised": True,
        "criteria_met": ["purpose_exploitation"],
        "members": "Chair\nPsychologist",
    }
    args.update(kwargs)
    with pytest.raises(ValidationError) as info:
        decision_record(actor=owner, case=case, kind=DecisionKind.COMMISSION, **args)
    assert field in _field_of(info.value)
    assert not case.decisions.exists()


def test_a_commission_decision_recognises_and_puts_the_case_before_the_commission(owner):
    case = make_case(owner)
    decision_record(
        actor=owner,
        case=case,
        kind=DecisionKind.COMMISSION,
        decided_on=date(2020, 3, 20),
        recognised=True,
        criteria_met=["purpose_exploitation"],
        members="Chair\nLawyer",
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.RECOGNISED
    assert case.decided_on == date(2020, 3, 20)
    assert case.submitted_to_commission_on == date(2020, 3, 20)
    event = case.events.get(kind="decision")
    assert event.data["previous_status"] == "potential"
    assert event.data["status"] == "recognised"


def test_a_process_director_decides_only_for_cases_of_its_proceedings(owner, make_user, police):
    director = make_user("investigator", Role.PROCESS_DIRECTOR, police)
    case = make_case(owner)
    with pytest.raises(PermissionDenied):
        decision_record(
            actor=director,
            case=case,
            kind=DecisionKind.PROCESS_DIRECTOR,
            decided_on=date(2020, 3, 20),
            recognised=True,
            proceeding_reference="11816000120",
        )
    case_route(
        actor=owner,
        case=case,
        submitted_to_commission_on=None,
        proceeding_institution=police,
        proceeding_reference="11816000120",
    )
    decision_record(
        actor=director,
        case=case,
        kind=DecisionKind.PROCESS_DIRECTOR,
        decided_on=date(2020, 3, 20),
        recognised=True,
        proceeding_reference="11816000120",
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.RECOGNISED


def test_a_colleague_cannot_edit_another_institutions_case(owner, colleague):
    case = make_case(owner)
    with pytest.raises(PermissionDenied):
        case_update_profile(
            actor=colleague,
            case=case,
            victim=VictimProfile(sex="female"),
            exploitation=ExploitationProfile(),
        )


def test_the_primary_form_follows_the_profile_rule_and_can_be_overridden(owner):
    case = make_case(owner, forms=(("labour", ""), ("drug_transport", "")))
    assert case.primary_form == "labour"
    porn = make_case(owner, forms=(("pornography", ""),))
    assert porn.primary_form == "sexual"  # counted under its headline form
    case_update_profile(
        actor=owner,
        case=case,
        victim=VictimProfile(sex="female", age_at_identification=30),
        exploitation=ExploitationProfile(
            forms=(("labour", ""), ("drug_transport", "")),
            primary_form_override="drug_transport",
            primary_form_override_reason="The proceeding concerns the drug transport.",
        ),
    )
    case.refresh_from_db()
    assert case.effective_primary_form == "drug_transport"
