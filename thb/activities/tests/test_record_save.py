"""The record service: scope, validation against the profile, aggregates never beside
records, audit."""

from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from thb.accounts.models import User
from thb.activities.models import DetectionRecord, Helpline
from thb.activities.record_types import TYPES
from thb.activities.services import record_save
from thb.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_it_saves_a_record_for_the_reporters_institution_and_audits_it(reporter: User):
    record, created = record_save(
        actor=reporter,
        record_type=TYPES["detection"],
        values={"kind": "complaint", "date": date(2020, 2, 1), "thb_related": True},
    )
    assert created and record.institution_id == reporter.institution_id
    event = AuditEvent.objects.get(
        object_type="activities.detectionrecord", object_id=str(record.pk)
    )
    assert event.action == "create" and event.details["type"] == "detection"


def test_it_refuses_a_code_that_is_not_in_the_profile(reporter: User):
    with pytest.raises(ValidationError) as info:
        record_save(
            actor=reporter,
            record_type=TYPES["detection"],
            values={"kind": "raid", "date": date(2020, 2, 1)},
        )
    assert "kind" in info.value.message_dict
    assert DetectionRecord.objects.count() == 0


def test_it_wants_a_criminal_law_section_for_a_proceeding(reporter: User):
    with pytest.raises(ValidationError) as info:
        record_save(
            actor=reporter,
            record_type=TYPES["detection"],
            values={
                "kind": "criminal_proceeding",
                "date": date(2020, 2, 1),
                "legal_basis": "APK.189.2",
            },
        )
    assert "legal_basis" in info.value.message_dict


def test_it_refuses_an_aggregate_beside_records_of_the_same_year(reporter: User, inspection):
    with pytest.raises(ValidationError) as info:
        record_save(
            actor=reporter,
            record_type=TYPES["detection-aggregate"],
            values={"kind": "inspection", "year": 2020, "value": 76, "basis": "total"},
        )
    assert "kind" in info.value.message_dict


def test_it_refuses_to_edit_another_institutions_record(other_reporter: User, inspection):
    with pytest.raises(PermissionDenied):
        record_save(
            actor=other_reporter,
            record_type=TYPES["detection"],
            values={"count": 5},
            instance=inspection,
        )


def test_it_refuses_a_caseworker(owner: User):
    with pytest.raises(PermissionDenied):
        record_save(
            actor=owner,
            record_type=TYPES["detection"],
            values={"kind": "inspection", "date": date(2020, 1, 1)},
        )


def test_only_the_coordinator_writes_the_training_total(reporter: User, coordinator: User):
    with pytest.raises(PermissionDenied):
        record_save(
            actor=reporter,
            record_type=TYPES["training-totals"],
            values={"year": 2020, "participants": 1},
        )
    _total, created = record_save(
        actor=coordinator,
        record_type=TYPES["training-totals"],
        values={"year": 2020, "participants": 1137},
    )
    assert created


def _line(reporter: User) -> Helpline:
    line, _ = record_save(
        actor=reporter,
        record_type=TYPES["helplines"],
        values={"code": "line_116111", "name": "116111", "number": "116111", "channels": ["call"]},
    )
    assert isinstance(line, Helpline)
    return line


def test_a_contact_must_use_a_channel_of_its_line(reporter: User):
    line = _line(reporter)
    with pytest.raises(ValidationError) as info:
        record_save(
            actor=reporter,
            record_type=TYPES["helpline-contacts"],
            values={
                "helpline": line,
                "received_at": timezone.make_aware(datetime(2020, 3, 1, 10)),
                "channel": "email",
            },
        )
    assert "channel" in info.value.message_dict


def test_a_contact_cannot_go_on_another_institutions_line(reporter: User, other_reporter: User):
    line = _line(reporter)
    with pytest.raises(ValidationError) as info:
        record_save(
            actor=other_reporter,
            record_type=TYPES["helpline-contacts"],
            values={
                "helpline": line,
                "received_at": timezone.make_aware(datetime(2020, 3, 1, 10)),
                "channel": "call",
            },
        )
    assert "helpline" in info.value.message_dict


def test_a_contact_inside_an_aggregate_period_is_refused(reporter: User):
    line = _line(reporter)
    record_save(
        actor=reporter,
        record_type=TYPES["helpline-aggregates"],
        values={
            "helpline": line,
            "period_start": date(2020, 1, 1),
            "period_end": date(2020, 12, 31),
            "contacts": 6728,
            "thb_related": 0,
        },
    )
    with pytest.raises(ValidationError) as info:
        record_save(
            actor=reporter,
            record_type=TYPES["helpline-contacts"],
            values={
                "helpline": line,
                "received_at": timezone.make_aware(datetime(2020, 3, 1, 10)),
                "channel": "call",
            },
        )
    assert "received_at" in info.value.message_dict
