"""The demo data's victim statistics equal the published 2020 report, and the report
command prints them as JSON."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from thb.reports.reference import reference_figures


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


def test_a_year_without_records_gives_every_catalogue_id_0(demo):
    from thb.reports.catalogue import catalogue, compute_figures

    figures = compute_figures(1990)
    assert set(figures) == set(catalogue())
    assert {key: value for key, value in figures.items() if value != 0} == {}


def test_the_2020_victims_tables_add_up_and_fill_every_cell(demo):
    from thb.reports.figures import report_figures
    from thb.victims.tests.test_measures import tables_that_do_not_add_up

    assert tables_that_do_not_add_up(2020) == []
    figures = report_figures(2020, prefix="victims.")
    # Cells the 2020 report leaves empty are declared figures with the value 0.
    assert figures["victims.citizenship.women.TJ"] == 0
    assert figures["victims.citizenship.other_countries"] == 0
    assert figures["victims.exploitation.all.other_forms"] == 0
    assert figures["victims.not_recognised"] == 2
    # Issue 7 part 11: the two minors by sex, and everyone by age group.
    minors = [figures[f"victims.identified.minors.{sex}"] for sex in ("girls", "boys")]
    assert sum(minors) == figures["victims.identified.minors"] == 2
    ages = [value for key, value in figures.items() if key.count(".") == 3 and ".age." in key]
    assert sum(ages) == figures["victims.identified"] == 48
