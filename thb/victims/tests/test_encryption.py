"""Identifying fields are encrypted at rest: the raw database file does not contain them."""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from thb.victims.models import PersonIdentity
from thb.victims.tests.factories import make_case


@pytest.mark.django_db(transaction=True)
def test_identifying_fields_are_not_readable_in_the_database_file(owner, tmp_path):
    case = make_case(owner, given_names="Zigfrīda", surname="Unikālvārde")
    identity = PersonIdentity.objects.get(person=case.person)
    assert identity.surname == "Unikālvārde"  # decrypted through the model
    with connection.cursor() as cursor:
        cursor.execute("SELECT surname FROM victims_personidentity WHERE id = %s", [identity.pk])
        raw = cursor.fetchone()[0]
    assert "Unikālvārde" not in raw
    assert raw.startswith("v2:")  # an AES-256-GCM token (thb.lib.crypto)
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        name = settings.DATABASES["default"]["NAME"]
        if name in ("", ":memory:") or "mode=memory" in str(name):
            # The test database lives in memory: write it to a file and grep that.
            target = tmp_path / "copy.sqlite3"
            with connection.cursor() as cursor:
                cursor.execute("VACUUM INTO %s", [str(target)])
        else:
            target = Path(name)
        content = target.read_bytes()
        assert "Unikālvārde".encode() not in content
        assert "Zigfrīda".encode() not in content
        assert b"v2:" in content


def test_the_demo_names_are_not_in_the_database_dump(db, owner):
    make_case(owner, given_names="Ojārs", surname="Slepenvārds")
    with connection.cursor() as cursor:
        cursor.execute("SELECT given_names, surname, phone FROM victims_personidentity")
        rows = cursor.fetchall()
    flat = " ".join(str(v) for row in rows for v in row)
    assert "Slepenvārds" not in flat and "Ojārs" not in flat and "+371" not in flat
