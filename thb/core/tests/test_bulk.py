"""PreparedInsert (thb/core/bulk.py): rows given as dicts store what the ORM would store
(defaults, encryption, auto_now dates), and children link to their parents' new ids."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction

from thb.core.bulk import ParentRows, PreparedInsert
from thb.victims.models import Person, PersonIdentity


@pytest.mark.django_db
def test_dict_rows_are_stored_as_the_orm_stores_them_and_linked_by_position() -> None:
    persons = PreparedInsert(
        Person,
        [
            {"code": "CTU-2020-BULK1", "sex": "female", "citizenship": "LV"},
            {"code": "CTU-2020-BULK2", "sex": "male"},
        ],
        want_ids=True,
    )
    # Only the second person has an identity: its parent is at position 1.
    identities = PreparedInsert(
        PersonIdentity,
        [{"given_names": "Anna", "surname": ""}],
        links={"person_id": ParentRows(persons, [1])},
    )
    with pytest.raises(ValueError, match="not saved"):
        identities.insert()  # the parents have no ids yet
    with transaction.atomic():
        persons.insert()
        identities.insert()

    first, second = (Person.objects.get(pk=pk) for pk in persons.ids)
    assert (first.code, first.sex, str(first.citizenship)) == ("CTU-2020-BULK1", "female", "LV")
    assert (second.code, str(second.citizenship)) == ("CTU-2020-BULK2", "")  # the default
    # Both rows carry the same creation stamp, set once for the insert.
    assert first.created_at is not None and first.created_at == second.created_at

    identity = PersonIdentity.objects.get(person=second)
    assert identity.given_names == "Anna"
    assert identity.phone == ""  # the field's default
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT given_names, surname FROM victims_personidentity WHERE person_id = %s",
            [second.pk],
        )
        stored_name, stored_surname = cursor.fetchone()
    # Encrypted at rest by the field itself; "" stays "".
    assert stored_name not in ("", "Anna") and stored_surname == ""
    assert not PersonIdentity.objects.filter(person=first).exists()


@pytest.mark.django_db
def test_a_link_needs_one_parent_per_row() -> None:
    persons = PreparedInsert(Person, [{"code": "CTU-2020-BULK3", "sex": "female"}], want_ids=True)
    with pytest.raises(ValueError, match="one parent per row"):
        PreparedInsert(
            PersonIdentity,
            [{"given_names": "A"}, {"given_names": "B"}],
            links={"person_id": ParentRows(persons, [0])},
        )


def _stored(table: str, columns: str, pk: int) -> tuple[object, ...]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return tuple(cursor.fetchone())


@pytest.mark.django_db
def test_json_dates_countries_and_values_of_other_types_are_stored_as_the_orm_stores_them(
    owner,
) -> None:
    from datetime import date

    from thb.victims.models import CaseEvent, CasePlace, IdentificationDecision
    from thb.victims.tests.factories import make_case

    case = make_case(owner)
    event_rows: list[dict[str, Any]] = [
        {"kind": "intake", "data": {"on": "2020-03-02", "names": ["ā", 1]}},
        {"kind": "bare"},
    ]
    events = PreparedInsert(
        CaseEvent,
        event_rows,
        links={"case_id": [case, case]},
        want_ids=True,
    )
    places = PreparedInsert(
        CasePlace, [{"country": "GB", "region": ""}], links={"case_id": [case]}, want_ids=True
    )
    decision: dict[str, Any] = {
        "kind": "commission",
        "decided_on": date(2020, 5, 1),
        "recognised": 1,  # not a bool: the field's own conversion
        "criteria_met": ["means_deception"],
        "historical": True,
        "recorded_by_id": owner.pk,
    }
    # Left out: the field's default (a fresh []).
    without_criteria = {k: v for k, v in decision.items() if k != "criteria_met"}
    decisions = PreparedInsert(
        IdentificationDecision,
        [decision, without_criteria],
        links={"case_id": [case, case]},
        want_ids=True,
    )
    with transaction.atomic():
        for insert in (events, places, decisions):
            insert.insert()
    event = CaseEvent.objects.create(
        case=case, kind="intake", data={"on": "2020-03-02", "names": ["ā", 1]}
    )
    bare = CaseEvent.objects.create(case=case, kind="bare")
    place = CasePlace.objects.create(case=case, country="GB", region="")
    orm_decision = IdentificationDecision.objects.create(case=case, **decision)
    orm_default = IdentificationDecision.objects.create(case=case, **without_criteria)

    assert _stored("victims_caseevent", "kind, data", events.ids[0]) == _stored(
        "victims_caseevent", "kind, data", event.pk
    )
    # A left-out JSON field takes its default (a fresh {}), as the ORM stores it.
    assert _stored("victims_caseevent", "data", events.ids[1]) == _stored(
        "victims_caseevent", "data", bare.pk
    )
    assert _stored("victims_caseplace", "country, region", places.ids[0]) == _stored(
        "victims_caseplace", "country, region", place.pk
    )
    columns = "kind, decided_on, recognised, criteria_met, reasons, deciding_institution_id"
    assert _stored("victims_identificationdecision", columns, decisions.ids[0]) == _stored(
        "victims_identificationdecision", columns, orm_decision.pk
    )
    assert _stored("victims_identificationdecision", columns, decisions.ids[1]) == _stored(
        "victims_identificationdecision", columns, orm_default.pk
    )
    stored = IdentificationDecision.objects.get(pk=decisions.ids[0])
    assert stored.recognised is True and stored.decided_on == date(2020, 5, 1)
    assert stored.criteria_met == ["means_deception"]
