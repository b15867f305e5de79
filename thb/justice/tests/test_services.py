from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from thb.audit.models import AuditEvent
from thb.justice.models import Proceeding, StageEvent
from thb.justice.selectors import justice_statistics, pending_in_court
from thb.justice.services import (
    InjuredPartyData,
    NonPunishmentData,
    ProceedingData,
    PropertyArrestData,
    SentenceData,
    StageData,
    injured_party_add,
    judgment_person_record,
    non_punishment_save,
    proceeding_create,
    property_arrest_save,
    stage_add,
)
from thb.victims.models import Case, Person

pytestmark = pytest.mark.django_db


def _data(**kwargs: Any) -> ProceedingData:
    values: dict[str, Any] = {
        "number": "11816000999",
        "sections": ["154.1"],
        "started_on": date(2020, 1, 5),
    }
    values.update(kwargs)
    return ProceedingData(**values)


def test_it_creates_a_proceeding_owned_by_the_actors_institution_and_audits_it(investigator):
    proceeding = proceeding_create(actor=investigator, data=_data())
    assert proceeding.institution == investigator.institution
    assert proceeding.section_codes == ["154.1"]
    assert AuditEvent.objects.filter(object_type="justice.proceeding", action="create").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"number": "bad number!"}, "number"),
        ({"sections": []}, "sections"),
        ({"sections": ["999"]}, "sections"),
        ({"sections": ["58.6"]}, "sections"),
        # Well in the future: parameters are computed at collection, maybe just before midnight.
        ({"started_on": timezone.localdate() + timedelta(days=30)}, "started_on"),
        ({"exploitation_form": "juggling"}, "exploitation_form"),
        ({"exploitation_form": "sexual", "sector": "construction"}, "sector"),
    ],
)
def test_it_refuses_bad_proceeding_data_naming_the_field(investigator, changes, field):
    with pytest.raises(ValidationError) as info:
        proceeding_create(actor=investigator, data=_data(**changes))
    assert field in info.value.message_dict
    assert not Proceeding.objects.exists()


def test_it_refuses_a_duplicate_number(investigator, proceeding):
    with pytest.raises(ValidationError) as info:
        proceeding_create(actor=investigator, data=_data(number=proceeding.number))
    assert "number" in info.value.message_dict


def test_the_coordinator_and_outsiders_cannot_write(coordinator, outsider, proceeding):
    for user in (coordinator, outsider):
        with pytest.raises(PermissionDenied):
            proceeding_create(actor=user, data=_data())
        with pytest.raises(PermissionDenied):
            property_arrest_save(
                actor=user,
                proceeding=proceeding,
                data=PropertyArrestData(
                    kind="funds", arrested_on=date(2020, 3, 1), value_eur=Decimal("1")
                ),
            )


def test_another_police_unit_cannot_add_to_the_proceeding(other_investigator, proceeding):
    with pytest.raises(PermissionDenied):
        stage_add(
            actor=other_investigator,
            proceeding=proceeding,
            data=StageData(kind="terminated", on=date(2020, 5, 1)),
        )


def test_the_stage_institution_gains_access_and_examination_needs_receipt(
    investigator, prosecutor, court_reporter, prosecutors, court, proceeding, suspect
):
    with pytest.raises(PermissionDenied):
        stage_add(
            actor=prosecutor,
            proceeding=proceeding,
            data=StageData(
                kind="sent_to_prosecution",
                on=date(2020, 5, 1),
                institution=court,
                persons=[suspect],
            ),
        )
    stage_add(
        actor=investigator,
        proceeding=proceeding,
        data=StageData(
            kind="transferred_for_prosecution", on=date(2020, 4, 1), institution=prosecutors
        ),
    )
    with pytest.raises(ValidationError) as info:
        stage_add(
            actor=prosecutor,
            proceeding=proceeding,
            data=StageData(kind="sent_to_prosecution", on=date(2020, 5, 1), institution=court),
        )
    assert "persons" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        stage_add(
            actor=prosecutor,
            proceeding=proceeding,
            data=StageData(
                kind="sent_to_prosecution",
                on=date(2020, 5, 1),
                institution=prosecutors,
                persons=[suspect],
            ),
        )
    assert "institution" in info.value.message_dict
    stage_add(
        actor=prosecutor,
        proceeding=proceeding,
        data=StageData(
            kind="sent_to_prosecution", on=date(2020, 5, 1), institution=court, persons=[suspect]
        ),
    )
    with pytest.raises(ValidationError) as info:
        stage_add(
            actor=court_reporter,
            proceeding=proceeding,
            data=StageData(kind="first_instance_examined", on=date(2020, 6, 1)),
        )
    assert "kind" in info.value.message_dict
    stage_add(
        actor=court_reporter,
        proceeding=proceeding,
        data=StageData(kind="first_instance_received", on=date(2020, 5, 20)),
    )
    assert pending_in_court(kind="first_instance", at=date(2021, 1, 1)) == 1
    stage_add(
        actor=court_reporter,
        proceeding=proceeding,
        data=StageData(kind="first_instance_examined", on=date(2020, 9, 1)),
    )
    assert pending_in_court(kind="first_instance", at=date(2021, 1, 1)) == 0
    assert pending_in_court(kind="first_instance", at=date(2020, 7, 1)) == 1
    assert StageEvent.objects.count() == 4


def test_sentences_are_checked_against_the_profile(
    court_reporter, investigator, prosecutors, court, proceeding, suspect
):
    def record(**kwargs: Any) -> Any:
        return judgment_person_record(
            actor=investigator,
            proceeding=proceeding,
            level="first_instance",
            delivered_on=date(2020, 9, 1),
            suspect=suspect,
            court=court,
            sentence=SentenceData(**kwargs),
        )

    cases: list[tuple[dict[str, Any], str]] = [
        ({"outcome": "convicted"}, "outcome"),
        ({"outcome": "convicted", "deprivation_months": 400}, "deprivation_months"),
        ({"outcome": "convicted", "probation_months": 48}, "probation_months"),
        ({"outcome": "convicted", "deprivation_conditional": True}, "deprivation_conditional"),
        ({"outcome": "convicted", "section": "165", "fine_eur": Decimal("10")}, "section"),
        ({"outcome": "acquitted", "deprivation_months": 3}, "outcome"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as info:
            record(**kwargs)
        assert field in info.value.message_dict, kwargs
    row = record(
        outcome="convicted",
        deprivation_months=30,
        deprivation_conditional=True,
        probation_months=24,
    )
    assert row.section == "154.1"
    figures = justice_statistics(2020)
    assert figures["justice.thb.convicted_persons"] == 1
    assert figures["justice.thb.convicted_persons.men"] == 1
    assert figures["justice.thb.convicted_persons.LV"] == 1
    # Recording the same person again replaces the entry (no double count).
    record(outcome="convicted", deprivation_months=24)
    assert justice_statistics(2020)["justice.thb.convicted_persons"] == 1


def test_linking_a_victim_case_fills_its_empty_routing(investigator, proceeding, provider):
    person = Person.objects.create(code="ABCD2345", sex="male", citizenship="IN")
    case = Case.objects.create(
        person=person,
        institution=provider,
        status="recognised",
        intake_date=date(2020, 1, 10),
        referral_channel="self",
    )
    injured_party_add(
        actor=investigator,
        proceeding=proceeding,
        data=InjuredPartyData(recognised_on=date(2020, 3, 1), case=case),
    )
    case.refresh_from_db()
    assert case.proceeding_institution == proceeding.institution
    assert case.proceeding_reference == proceeding.number
    assert case.injured_party_on == date(2020, 3, 1)
    assert case.events.filter(kind="injured_party").exists()
    party = proceeding.injured_parties.get()
    assert (party.sex, party.citizenship.code) == ("male", "IN")
    with pytest.raises(ValidationError) as info:
        injured_party_add(
            actor=investigator,
            proceeding=proceeding,
            data=InjuredPartyData(recognised_on=date(2020, 3, 1), case=case),
        )
    assert "case_code" in info.value.message_dict
    assert justice_statistics(2020)["justice.thb.injured_parties_in_new_proceedings"] == 1


def test_a_case_routed_to_another_proceeding_is_refused(investigator, proceeding, provider):
    person = Person.objects.create(code="ZZZZ2345", sex="male", citizenship="IN")
    case = Case.objects.create(
        person=person,
        institution=provider,
        intake_date=date(2020, 1, 10),
        referral_channel="self",
        proceeding_reference="99999999999",
        proceeding_institution=proceeding.institution,
    )
    with pytest.raises(ValidationError) as info:
        injured_party_add(
            actor=investigator,
            proceeding=proceeding,
            data=InjuredPartyData(recognised_on=date(2020, 3, 1), case=case),
        )
    assert "case_code" in info.value.message_dict
    case.refresh_from_db()
    assert case.proceeding_reference == "99999999999"


def test_non_punishment_decisions_are_counted_by_outcome_and_law(investigator):
    non_punishment_save(
        actor=investigator,
        data=NonPunishmentData(
            legal_basis="ALL.11", outcome="released", decided_on=date(2020, 10, 7)
        ),
    )
    with pytest.raises(ValidationError) as info:
        non_punishment_save(
            actor=investigator,
            data=NonPunishmentData(
                legal_basis="154.1", outcome="released", decided_on=date(2020, 10, 7)
            ),
        )
    assert "legal_basis" in info.value.message_dict
    figures = justice_statistics(2020)
    assert figures["justice.non_punishment.released_from_administrative_liability"] == 1
    assert figures["justice.non_punishment.penalties_applied_to_victims"] == 0


def test_a_recognition_already_on_the_case_is_not_a_second_timeline_event(
    investigator, proceeding, provider
):
    """The case's caseworker (or the demo) recorded the recognition on the case first;
    adding the injured party to the proceeding then writes no second identical event."""
    person = Person.objects.create(code="ABCD2346", sex="female", citizenship="IN")
    case = Case.objects.create(
        person=person,
        institution=provider,
        status="recognised",
        intake_date=date(2020, 1, 10),
        referral_channel="self",
        injured_party_on=date(2020, 3, 1),
        injured_party_proceeding=proceeding.number,
    )
    case.events.create(
        actor=investigator,
        kind="injured_party",
        data={"on": "2020-03-01", "proceeding": proceeding.number},
    )
    injured_party_add(
        actor=investigator,
        proceeding=proceeding,
        data=InjuredPartyData(recognised_on=date(2020, 3, 1), case=case),
    )
    assert case.events.filter(kind="injured_party").count() == 1
    # A recognition on another day is a new event.
    other = Person.objects.create(code="ABCD2347", sex="female", citizenship="IN")
    later = Case.objects.create(
        person=other,
        institution=provider,
        status="recognised",
        intake_date=date(2020, 1, 10),
        referral_channel="self",
        injured_party_on=date(2020, 2, 1),
        injured_party_proceeding=proceeding.number,
    )
    injured_party_add(
        actor=investigator,
        proceeding=proceeding,
        data=InjuredPartyData(recognised_on=date(2020, 3, 1), case=later),
    )
    assert later.events.filter(kind="injured_party").count() == 1
