"""The victim-case import type: rows become cases through the victims app's rules."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from thb.audit.models import AuditEvent
from thb.interop.importer import import_file
from thb.interop.models import Submission, SubmissionStatus
from thb.interop.registry import get_import_type
from thb.interop.templates_files import example_csv
from thb.victims.models import Case

HEADER = "external_id,intake_date,referral_channel,sex,citizenship,forms,places,given_names\n"


def _import(user, text: str, **kwargs):
    return import_file(
        actor=user,
        import_type=get_import_type("victim_cases"),
        file_name="cases.csv",
        data=text.encode(),
        **kwargs,
    )


def test_rows_become_cases_of_the_actors_institution(owner):
    result = _import(
        owner,
        "# comment line\n"
        + HEADER
        + "A1,2020-03-01,state_police,male,UZ,labour:construction,LV:riga,Ali\n"
        + "A2,15.04.2020,self,female,LV,sexual; labour:cleaning,DE,\n",
    )
    assert result.ok, result.errors
    cases = Case.objects.filter(institution=owner.institution).order_by("external_id")
    assert [c.external_id for c in cases] == ["A1", "A2"]
    assert cases[0].person.citizenship == "UZ"
    assert sorted(str(f) for f in cases[1].forms.all()) == ["labour:cleaning", "sexual"]


def test_an_error_from_the_case_rules_names_the_line_and_column(owner):
    result = _import(
        owner,
        HEADER
        + "A1,2020-03-01,state_police,male,UZ,labour:construction,LV:riga,\n"
        + "A2,2020-03-01,state_police,male,UZ,sexual:construction,,\n",
    )
    assert Case.objects.count() == 0
    assert [(e.line, e.column) for e in result.errors] == [(3, "forms")]


def test_identity_values_are_not_repeated_in_errors(owner):
    result = _import(owner, HEADER + "A1,2020-03-01,state_police,male,UZ,,," + "x" * 300 + "\n")
    assert result.errors[0].column == "given_names"
    assert "xxx" not in str(result.errors[0])


def test_a_duplicate_external_id_in_the_file_is_refused(owner):
    result = _import(
        owner, HEADER + "A1,2020-03-01,self,male,UZ,,,\nA1,2020-03-02,self,male,UZ,,,\n"
    )
    assert [(e.line, e.column) for e in result.errors] == [(3, "external_id")]
    assert Case.objects.count() == 0


def test_a_locked_year_refuses_new_cases(owner):
    Submission.objects.create(
        institution=owner.institution, year=2020, status=SubmissionStatus.ACCEPTED
    )
    result = _import(owner, HEADER + "A1,2020-03-01,self,male,UZ,,,\n")
    assert [(e.line, e.column) for e in result.errors] == [(2, "intake_date")]


def test_a_reporter_may_not_import_cases(outsider):
    with pytest.raises(PermissionDenied):
        _import(outsider, example_csv(get_import_type("victim_cases")))


def test_each_import_is_audited_with_its_outcome(owner):
    _import(owner, example_csv(get_import_type("victim_cases")))
    _import(owner, HEADER + "A1,2020-03-01,nobody,male,UZ,,,\n")
    events = AuditEvent.objects.filter(object_type="interop.import").order_by("id")
    assert [(e.details["outcome"], e.details["rows"]) for e in events] == [
        ("imported", 1),
        ("rejected", 1),
    ]
    assert events[0].details["file_name"] == "cases.csv"


def test_a_wrong_header_is_reported_on_the_header_line(owner):
    result = _import(owner, "# help\nexternal_id,colour\nA1,red\n")
    messages = {(e.line, e.column) for e in result.errors}
    assert (2, "colour") in messages
    assert (2, "intake_date") in messages


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"# only comments\n", "no header"),
        (b"external_id,intake_date,referral_channel\n", "no data rows"),
        (b"external_id\n\xff\xfe\x00bad\n", "neither UTF-8"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(owner, data: bytes, message: str):
    result = import_file(
        actor=owner,
        import_type=get_import_type("victim_cases"),
        file_name="f.csv",
        data=data,
    )
    assert not result.ok
    assert message in str(result.errors[0])


def test_repeated_cells_are_read_once_yet_each_row_gets_its_own_value_and_error(owner):
    """A column's reader remembers the readings of repeated cells (a register repeats
    codes and dates): a bad value repeated on several lines is an error of each line,
    and a list value (';'-separated) is never shared between rows."""
    from thb.interop.importer import ImportResult, _parse_row, _RowReader
    from thb.interop.tables import read_table

    import_type = get_import_type("victim_cases")
    lines = [
        "A1,2020-03-01,state_police,male,UZ,sexual,DE,Ali",
        "A2,2020-03-01,state_police,male,UZ,sexual,DE,Ali",
        "A3,2020-13-01,state_police,male,UZ,sexual,DE,Ali",
        "A4,2020-13-01,state_police,male,UZ,sexual,DE,Ali",
    ]
    table = read_table("c.csv", (HEADER + "\n".join(lines) + "\n").encode())
    reader = _RowReader.build(import_type, table, {})
    found = ImportResult("victim_cases", "", True)
    rows = [
        _parse_row(import_type, table, n, cells, found, None, reader) for n, cells in table.rows
    ]
    assert rows[0] is not None and rows[1] is not None
    assert rows[0]["intake_date"] == rows[1]["intake_date"]
    assert rows[0]["forms"] == rows[1]["forms"] and rows[0]["forms"] is not rows[1]["forms"]
    assert rows[2] is None and rows[3] is None
    assert [(e.line, e.column) for e in found.errors] == [(4, "intake_date"), (5, "intake_date")]

    result = _import(owner, HEADER + "\n".join(lines) + "\n")
    assert [(e.line, e.column) for e in result.errors] == [(4, "intake_date"), (5, "intake_date")]
    assert not Case.objects.filter(institution=owner.institution).exists()
