"""The demo's residence records give the 2020 figures of the report."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command

from thb.reports.figures import report_figures
from thb.residence.models import Deadline, ResidenceTrack

PREFIX = "residence."


def _reference() -> dict[str, float]:
    for base in (Path(settings.BASE_DIR).parent, Path(settings.BASE_DIR) / ".."):
        path = base / "shared/reference/2020-figures.yaml"
        if path.exists():
            rows = yaml.safe_load(path.read_text(encoding="utf-8"))["figures"]
            return {row["id"]: row["value"] for row in rows if row["id"].startswith(PREFIX)}
    pytest.skip("shared/reference/2020-figures.yaml not found")


@pytest.mark.django_db
def test_the_demo_residence_figures_equal_the_report():
    call_command("demo", quiet_passwords=True)
    expected = _reference()
    assert expected, "no residence.* ids in the reference"
    assert report_figures(2020, prefix=PREFIX) == expected
    # The figures come from records: tracks with deadlines met and one missed.
    assert ResidenceTrack.objects.count() == 8 + 15
    statuses = {d.status for d in Deadline.objects.all()}
    assert {"met", "missed"} <= statuses
