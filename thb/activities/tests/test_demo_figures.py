"""The demo data's activity figures equal the published 2020 report."""

import pytest
from django.utils import translation

from thb.activities.figures import aggregate_basis, aggregate_returns
from thb.core.registry import aggregate_basis as registry_basis
from thb.reports.figures import report_figures
from thb.reports.reference import reference_figures

PREFIXES = ("detection.", "helplines.", "training.", "awareness.", "international.")


def _reference() -> dict[str, int | float]:
    return {k: v for k, v in reference_figures().items() if k.startswith(PREFIXES)}


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
def test_the_demo_activity_figures_equal_the_2020_report():
    expected = _reference()
    assert len(expected) == 49
    actual: dict[str, int | float] = {}
    for prefix in PREFIXES:
        actual.update(report_figures(2020, prefix=prefix))
    assert {k: actual.get(k) for k in expected} == expected


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
def test_figures_from_aggregate_returns_are_marked_with_their_basis():
    returns = aggregate_returns(2020)
    assert returns["detection.labour_inspectorate.inspections_per_year"].basis == "annual_average"
    assert returns["helplines.116111.consultations"].basis == "total"
    assert returns["training.participants"].basis == "total"
    # The previous year's headline rests on that year's training total.
    assert "training.participants.previous_year" in returns
    assert "detection.childrens_rights_inspectorate.inspections" not in returns
    assert "helplines.drosa_maja_24_7.calls" not in returns
    # A figure asking for a place type is never answered by an aggregate return.
    assert "detection.childrens_rights_inspectorate.inspections_out_of_family_care" not in returns


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
def test_the_basis_is_a_translated_label_never_a_code():
    with translation.override("en"):
        english = aggregate_basis(2020)
    with translation.override("lv"):
        latvian = aggregate_basis(2020)
    assert english["detection.labour_inspectorate.inspections_per_year"] == "annual average"
    assert latvian["detection.labour_inspectorate.inspections_per_year"] == "gada vidējais"
    # The report reads the marks through the registry, whichever app declares them.
    with translation.override("en"):
        assert registry_basis(2020) == english
    codes = {"annual_average", "total", "approximate"}
    assert not codes & set(english.values())
    assert not codes & set(latvian.values())
