"""The demo data's activity figures equal the published 2020 report."""

import pytest
from django.core.management import call_command

from thb.activities.figures import metadata
from thb.reports.figures import report_figures
from thb.reports.reference import reference_figures

PREFIXES = ("detection.", "helplines.", "training.", "awareness.", "international.")


def _reference() -> dict[str, int | float]:
    return {k: v for k, v in reference_figures().items() if k.startswith(PREFIXES)}


@pytest.mark.django_db
def test_the_demo_activity_figures_equal_the_2020_report():
    call_command("demo", quiet_passwords=True)
    expected = _reference()
    assert len(expected) == 49
    actual: dict[str, int | float] = {}
    for prefix in PREFIXES:
        actual.update(report_figures(2020, prefix=prefix))
    assert {k: actual.get(k) for k in expected} == expected


@pytest.mark.django_db
def test_figures_from_aggregate_returns_are_marked_in_the_metadata():
    call_command("demo", quiet_passwords=True)
    meta = metadata(2020)
    assert meta["detection.labour_inspectorate.inspections_per_year"]["aggregate"] is True
    assert meta["detection.labour_inspectorate.inspections_per_year"]["basis"] == "annual_average"
    assert meta["helplines.116111.consultations"]["aggregate"] is True
    assert meta["training.participants"]["aggregate"] is True
    assert meta["detection.childrens_rights_inspectorate.inspections"]["aggregate"] is False
    assert meta["helplines.drosa_maja_24_7.calls"]["aggregate"] is False
