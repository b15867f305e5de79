"""The demo's residence records give the 2020 figures of the report."""

import pytest

from thb.reports.figures import report_figures
from thb.reports.reference import reference_figures
from thb.residence.models import Deadline, ResidenceTrack

PREFIX = "residence."


def _reference() -> dict[str, int | float]:
    return reference_figures(PREFIX)


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
def test_the_demo_residence_figures_equal_the_report():
    expected = _reference()
    assert expected, "no residence.* ids in the reference"
    assert report_figures(2020, prefix=PREFIX) == expected
    # The figures come from records: tracks with deadlines met and one missed.
    # 8 reflection periods and 15 injured parties of 2020, and 3 tracks left open
    # for the deadlines page (thb/residence/demo.py).
    assert ResidenceTrack.objects.count() == 8 + 15 + 3
    statuses = {d.status for d in Deadline.objects.all()}
    assert {"met", "missed"} <= statuses
