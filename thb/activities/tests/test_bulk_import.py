"""The bulk import of activity records applies the same cross-record rules as
`record_save` (checked for the whole file at once), names line and column, and saves
nothing when a row breaks one."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from thb.accounts.models import Institution, InstitutionKind, Role, User
from thb.activities.models import (
    DetectionAggregate,
    DetectionRecord,
    Helpline,
    HelplineAggregate,
    HelplineContact,
)
from thb.interop.importer import import_file
from thb.interop.registry import get_import_type


def _reporter(
    make_user: Callable[..., User], make_institution: Callable[..., Institution], kind: str
) -> tuple[User, Institution]:
    institution = make_institution(f"{kind}-1", kind)
    return make_user(f"{kind}-reporter", Role.REPORTER, institution), institution


def _import(user: User, type_name: str, text: str):
    return import_file(
        actor=user,
        import_type=get_import_type(type_name),
        file_name="records.csv",
        data=text.encode(),
    )


def test_a_detection_record_beside_an_aggregate_return_is_refused(make_user, make_institution):
    reporter, institution = _reporter(
        make_user, make_institution, InstitutionKind.LABOUR_INSPECTORATE
    )
    DetectionAggregate.objects.create(
        institution=institution, kind="inspection", year=2020, value=10, basis="x"
    )
    result = _import(
        reporter,
        "detection_records",
        "kind,date,external_id\ncomplaint,2020-03-01,d-1\ninspection,2020-03-02,d-2\n",
    )
    assert [(e.line, e.column) for e in result.errors] == [(3, "kind")]
    assert DetectionRecord.objects.count() == 0


def test_a_contact_in_a_period_with_an_aggregate_return_is_refused(make_user, make_institution):
    reporter, institution = _reporter(make_user, make_institution, InstitutionKind.HELPLINE)
    line = Helpline.objects.create(
        institution=institution,
        code="line-1",
        name="Line",
        number="116006",
        channels=["call"],
    )
    HelplineAggregate.objects.create(
        institution=institution,
        helpline=line,
        period_start=datetime.date(2020, 1, 1),
        period_end=datetime.date(2020, 1, 31),
        contacts=5,
        thb_related=0,
    )
    result = _import(
        reporter,
        "helpline_contacts",
        "helpline,received_at,channel,external_id\n"
        "line-1,2020-02-01 10:00,call,c-1\n"
        "line-1,2020-01-15 10:00,call,c-2\n"
        "line-1,2020-02-02 10:00,chat,c-3\n",
    )
    assert [(e.line, e.column) for e in result.errors] == [(3, "received_at"), (4, "channel")]
    assert HelplineContact.objects.count() == 0


def test_a_reimport_updates_changed_records_in_place(make_user, make_institution):
    reporter, _institution = _reporter(
        make_user, make_institution, InstitutionKind.LABOUR_INSPECTORATE
    )
    header = "kind,date,count,external_id\n"
    _import(reporter, "detection_records", header + "inspection,2020-03-01,1,d-1\n")
    result = _import(reporter, "detection_records", header + "inspection,2020-03-01,4,d-1\n")
    assert (result.created, result.existing) == (0, 1)
    assert list(DetectionRecord.objects.values_list("count", flat=True)) == [4]
