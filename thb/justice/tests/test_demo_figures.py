from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command

from thb.reports.figures import report_figures


def _reference() -> dict[str, Any]:
    for base in (Path(settings.BASE_DIR).parent, Path(settings.BASE_DIR) / ".."):
        path = base / "shared/reference/2020-figures.yaml"
        if path.exists():
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            return {f["id"]: f["value"] for f in data["figures"]}
    pytest.skip("shared/reference/2020-figures.yaml not found")


@pytest.mark.django_db
def test_the_demo_justice_figures_equal_the_2020_report():
    call_command("demo", quiet_passwords=True)
    expected = {k: v for k, v in _reference().items() if k.startswith("justice.")}
    assert expected, "the reference has justice figures"
    actual = report_figures(2020, prefix="justice.")
    got = {k: actual.get(k) for k in expected}
    assert got == expected
