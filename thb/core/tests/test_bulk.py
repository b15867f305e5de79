"""PreparedInsert (thb/core/bulk.py): rows given as dicts store what the ORM would store
(defaults, encryption, auto_now dates), and children link to their parents' new ids."""

from __future__ import annotations

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
