"""The demo data's support.* figures for 2020 equal the report's."""

import pytest

from thb.reports.figures import report_figures
from thb.reports.reference import reference_figures
from thb.support.models import RehabilitationPlan, ServiceDelivery
from thb.victims.models import CaseStatus


def _reference() -> dict[str, int | float]:
    return reference_figures("support.")


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
def test_the_demo_support_figures_equal_the_report_and_are_records():
    expected = _reference()
    assert len(expected) == 5
    assert report_figures(2020, prefix="support.") == expected
    # Plans only for recognised victims; the spending is built from service records.
    plans = RehabilitationPlan.objects.all()
    assert plans.count() >= 48
    assert not plans.exclude(case__status=CaseStatus.RECOGNISED).exists()
    assert ServiceDelivery.objects.filter(delivered_on__year=2020).count() > 300
    # The demo shows flagged records, each with its reason.
    flagged = ServiceDelivery.objects.exclude(limit_flags=[])
    assert flagged.exists()
    assert not flagged.filter(limit_reason="").exists()
