from typing import Any

import pytest

from thb.reports.figures import report_figures
from thb.reports.reference import reference_figures


def _reference() -> dict[str, Any]:
    return reference_figures()


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
def test_the_demo_justice_figures_equal_the_2020_report():
    expected = {k: v for k, v in _reference().items() if k.startswith("justice.")}
    assert expected, "the reference has justice figures"
    actual = report_figures(2020, prefix="justice.")
    got = {k: actual.get(k) for k in expected}
    assert got == expected
