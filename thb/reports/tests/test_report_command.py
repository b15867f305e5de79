"""`thb report`: every format through the formats package, --list, --output, the
progress display on standard error, and the JSON contract on standard output."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from thb.audit.models import AuditEvent
from thb.reports.catalogue import catalogue
from thb.reports.selectors import FORMATS

pytestmark = pytest.mark.django_db


def _run(*args, **options):
    out, err = StringIO(), StringIO()
    call_command("report", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_json_on_standard_output_has_every_catalogue_id_and_progress_goes_to_stderr():
    out, err = _run("2031", format="json")
    data = json.loads(out)  # nothing else on standard output
    assert set(data["figures"]) == set(catalogue())
    assert set(data["figures"].values()) == {0}  # a year without records: every id, 0
    for step in ("computing figures", "building the document", "rendering json"):
        assert step in err


def test_the_prefix_narrows_the_json_figures():
    out, _err = _run("2020", format="json", prefix="victims.identified")
    figures = json.loads(out)["figures"]
    assert figures and all(key.startswith("victims.identified") for key in figures)


def test_text_prints_one_figure_a_line():
    out, _err = _run("2020", format="text", prefix="victims.identified")
    lines = out.splitlines()
    assert lines[0].split() == ["victims.identified", "0"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_is_written_to_the_output_file(fmt, tmp_path):
    target = tmp_path / f"report.{fmt}"
    out, err = _run("2020", format=fmt, lang="en", edition="public", output=str(target))
    assert out == ""
    assert target.stat().st_size > 0
    assert f"rendering {fmt}" in err
    event = AuditEvent.objects.filter(object_type="reports.report").last()
    assert event is not None
    assert event.details == {
        "year": 2020,
        "edition": "public",
        "format": fmt,
        "language": "en",
        "version": None,
        "via": "command",
    }


def test_an_output_directory_gets_the_reports_file_name(tmp_path):
    _run("2020", format="json", output=str(tmp_path))
    written = list(tmp_path.iterdir())
    # The file name is the rendered file's (thb/reports/formats).
    assert len(written) == 1 and written[0].suffix == ".json"
    assert json.loads(written[0].read_text())["edition"] == "internal"


def test_list_prints_the_whole_catalogue_in_the_chosen_language():
    out, _err = _run(list=True, lang="en")
    lines = out.splitlines()
    declared = catalogue()
    assert len(lines) == len(declared)
    first = lines[0].split("\t")
    figure = declared[first[0]]
    assert first[1] == figure.unit
    assert first[2] == ("persons" if figure.counts_persons else "-")
    assert first[3] == figure.definition.get("en")
    assert [line.split("\t")[0] for line in lines] == list(declared)


def test_bad_input_names_the_problem(tmp_path):
    with pytest.raises(CommandError, match="YEAR"):
        _run(format="json")
    with pytest.raises(CommandError, match="out of range"):
        _run("1800", format="json")
    with pytest.raises(CommandError, match="no frozen version 3"):
        _run("2020", format="json", report_version=3)
    with pytest.raises(CommandError, match="does not exist"):
        _run("2020", format="json", output=str(tmp_path / "missing" / "x.json"))


def test_a_frozen_version_is_written_from_its_own_figures(coordinator, owner):
    from datetime import date

    from thb.reports.services import report_version_freeze
    from thb.victims.models import DecisionKind
    from thb.victims.services import decision_record
    from thb.victims.tests.factories import make_case

    report_version_freeze(actor=coordinator, year=2020)
    case = make_case(owner)
    decision_record(
        actor=owner,
        case=case,
        kind=DecisionKind.COMMISSION,
        decided_on=date(2020, 6, 1),
        recognised=True,
        criteria_met=["purpose_exploitation"],
        members="Chair",
    )
    frozen, err = _run("2020", format="json", report_version=1)
    assert "reading frozen version 1" in err
    assert json.loads(frozen)["figures"]["victims.identified"] == 0
    current = json.loads(_run("2020", format="json")[0])
    assert current["figures"]["victims.identified"] == 1
    revised = {entry["id"] for entry in current["metadata"]["revisions"]}
    assert {"victims.assessed", "victims.identified"} <= revised


def test_a_closed_earlier_year_is_read_from_its_snapshot_not_computed(
    coordinator, owner, monkeypatch
):
    """The 2020 report compares with 2019: once 2019 is closed (its report marked
    final, nothing sent for it unaccepted), the command reads 2019's frozen figures
    and computes only the open years; --from-records computes 2019 too."""
    from datetime import date

    from thb.reports import catalogue as catalogue_module
    from thb.reports.services import report_version_freeze
    from thb.victims.models import DecisionKind
    from thb.victims.services import decision_record
    from thb.victims.tests.factories import make_case

    def decide(on):
        decision_record(
            actor=owner,
            case=make_case(owner, intake_date=date(on.year, 1, 2)),
            kind=DecisionKind.COMMISSION,
            decided_on=on,
            recognised=True,
            criteria_met=["purpose_exploitation"],
            members="Chair",
        )

    decide(date(2019, 6, 1))
    decide(date(2020, 6, 1))
    report_version_freeze(actor=coordinator, year=2019)
    decide(date(2019, 7, 1))  # a late 2019 record: the published 2019 stays as frozen

    computed: list[int] = []
    real = catalogue_module.compute_years

    def spy(years, ids=None):
        computed.extend(years)
        return real(years, ids)

    monkeypatch.setattr(catalogue_module, "compute_years", spy)
    report = json.loads(_run("2020", format="json")[0])
    assert 2019 not in computed and 2020 in computed
    assert report["figures"]["victims.identified"] == 1
    text = json.dumps(report["tables"])
    computed.clear()
    recomputed = json.loads(_run("2020", format="json", from_records=True)[0])
    assert 2019 in computed
    assert recomputed["figures"] == report["figures"]
    # The tables' 2019 columns differ: 1 identified as frozen, 2 from the records.
    assert json.dumps(recomputed["tables"]) != text
