"""Acceptance: on the demo data, `thb report 2020 --format json` reproduces every figure
of the 2020 report that THB computes (shared/reference/2020-figures.yaml)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from thb.reports.reference import reference_figures


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
def test_the_2020_report_equals_every_reference_figure():
    out = StringIO()
    call_command("report", "2020", format="json", stdout=out)
    figures = json.loads(out.getvalue())["figures"]
    expected = reference_figures("")
    assert len(expected) == 178
    mismatches = {
        key: {"expected": value, "computed": figures.get(key)}
        for key, value in expected.items()
        if figures.get(key) != value
    }
    assert mismatches == {}
