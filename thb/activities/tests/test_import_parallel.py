"""A large import of activity records (helpline contacts, detection records) staged in
worker processes (thb/interop/parallel.py) gives what one process gives: the same
records, lines registered once, re-imported rows updated, the same errors."""

from __future__ import annotations

import datetime

import pytest

from thb.accounts.models import InstitutionKind, Role
from thb.activities.models import DetectionRecord, Helpline, HelplineAggregate, HelplineContact
from thb.audit.models import AuditEvent
from thb.interop.importer import import_file
from thb.interop.registry import get_import_type

HEADER = "helpline,helpline_number,received_at,channel,thb_related,topic,external_id\n"


def _contact(i: int, **change: str) -> str:
    values = {
        "helpline": "line-a" if i % 2 else "line-b",
        "helpline_number": "116006" if i % 2 else "80002012",
        "received_at": f"2020-{1 + i % 12:02d}-{1 + i % 27:02d} 10:{i % 60:02d}",
        "channel": "call",
        "thb_related": "yes" if i % 3 == 0 else "no",
        "topic": "trafficking",
        "external_id": f"c-{i}",
    }
    values.update(change)
    return ",".join(values.values()) + "\n"


@pytest.fixture
def line_reporter(make_user, make_institution):
    institution = make_institution("line-operator", InstitutionKind.HELPLINE)
    return make_user("line-reporter", Role.REPORTER, institution)


def _import(user, type_name: str, text: str, **kwargs):
    return import_file(
        actor=user,
        import_type=get_import_type(type_name),
        file_name="records.csv",
        data=text.encode(),
        **kwargs,
    )


def _contacts() -> list[tuple]:
    return list(
        HelplineContact.objects.order_by("external_id").values_list(
            "external_id", "helpline__code", "received_at", "channel", "thb_related", "topic"
        )
    )


def test_workers_stage_contacts_into_the_same_records(line_reporter, in_parts, settings):
    text = HEADER + "".join(_contact(i) for i in range(1, 15))
    assert _import(line_reporter, "helpline_contacts", text, dry_run=True).ok
    assert in_parts, "the file was staged by the workers"
    assert HelplineContact.objects.count() == Helpline.objects.count() == 0
    result = _import(line_reporter, "helpline_contacts", text)
    assert result.ok, result.errors
    assert result.created == 14
    # Both lines were new in every part: each is registered once, its contacts on it.
    assert sorted(Helpline.objects.values_list("code", "number")) == [
        ("line-a", "116006"),
        ("line-b", "80002012"),
    ]
    in_workers = _contacts()
    assert [code for _id, code, *_rest in in_workers].count("line-a") == 7
    audit = AuditEvent.objects.filter(object_type="interop.import").latest("pk")
    ids = list(HelplineContact.objects.values_list("pk", flat=True))
    assert audit.details["created_ids"] == [[min(ids), max(ids)]]
    # The same file in one process gives the same records.
    HelplineContact.objects.all().delete()
    settings.THB_IMPORT_WORKERS = 0
    assert _import(line_reporter, "helpline_contacts", text).ok
    assert _contacts() == in_workers
    assert len(in_parts) == 2  # the dry run and the first import, not the one-process one


def test_a_reimport_in_parts_updates_the_stored_rows_and_adds_the_new(line_reporter, in_parts):
    first = HEADER + "".join(_contact(i) for i in range(1, 11))
    assert _import(line_reporter, "helpline_contacts", first).ok
    # Rows 3 and 8 change their topic; rows 11 to 16 are new; the others
    # are as stored.
    again = HEADER + "".join(
        _contact(i, topic="other") if i in (3, 8) else _contact(i) for i in range(1, 17)
    )
    result = _import(line_reporter, "helpline_contacts", again)
    assert result.ok, result.errors
    assert (result.created, result.existing) == (6, 10)
    assert HelplineContact.objects.count() == 16
    assert sorted(HelplineContact.objects.filter(topic="other").values_list("external_id")) == [
        ("c-3",),
        ("c-8",),
    ]
    assert Helpline.objects.count() == 2


def test_the_rules_run_in_the_workers_with_what_the_context_read(line_reporter, in_parts):
    line = Helpline.objects.create(
        institution=line_reporter.institution,
        code="line-a",
        name="Line A",
        number="116006",
        channels=["call"],
    )
    HelplineAggregate.objects.create(
        institution=line_reporter.institution,
        helpline=line,
        period_start=datetime.date(2020, 5, 1),
        period_end=datetime.date(2020, 5, 31),
        contacts=5,
        thb_related=0,
    )
    rows = [_contact(i) for i in range(1, 15)]
    rows[6] = _contact(7, received_at="2020-05-10 10:00")  # line 8: in the aggregate's month
    rows[10] = _contact(11, channel="chat")  # line 12: line-a takes calls only
    result = _import(line_reporter, "helpline_contacts", HEADER + "".join(rows))
    assert in_parts
    assert [(e.line, e.column) for e in result.errors] == [(8, "received_at"), (12, "channel")]
    assert HelplineContact.objects.count() == 0
    assert Helpline.objects.count() == 1  # line-b, new, was not registered


def test_detection_records_are_staged_in_parts_too(make_user, make_institution, in_parts):
    inspectorate = make_institution("inspectorate-1", InstitutionKind.LABOUR_INSPECTORATE)
    reporter = make_user("inspector", Role.REPORTER, inspectorate)
    text = "kind,date,external_id\n" + "".join(
        f"inspection,2020-03-{1 + i:02d},d-{i}\n" for i in range(12)
    )
    result = _import(reporter, "detection_records", text)
    assert in_parts and result.ok, result.errors
    assert DetectionRecord.objects.filter(institution=inspectorate).count() == 12
