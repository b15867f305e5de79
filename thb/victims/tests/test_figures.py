"""The demo data's victim statistics equal the published 2020 report, and the report
command prints them as JSON."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from thb.reports.reference import reference_figures


@pytest.fixture
def demo(db):
    call_command("demo", quiet_passwords=True, stdout=StringIO())


def test_report_json_has_every_victims_figure_of_the_reference(demo):
    out = StringIO()
    call_command("report", "2020", format="json", stdout=out)
    figures = json.loads(out.getvalue())["figures"]
    expected = reference_figures("victims.")
    assert len(expected) > 60
    got = {key: figures.get(key) for key in expected}
    assert got == expected


def test_the_year_matters(demo):
    out = StringIO()
    call_command("report", "2019", format="json", stdout=out)
    figures = json.loads(out.getvalue())["figures"]
    assert figures["victims.identified"] == 7
    assert figures["victims.assessed"] == 7


def test_report_rejects_an_absurd_year(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="out of range"):
        call_command("report", "20", format="json", stdout=StringIO())
