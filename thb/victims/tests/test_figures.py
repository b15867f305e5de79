"""The demo data's victim statistics equal the published 2020 report, and the report
command prints them as JSON."""

import json
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command


def reference_figures(prefix: str) -> dict[str, float]:
    candidates = [
        Path(settings.BASE_DIR).parent / "shared" / "reference" / "2020-figures.yaml",
        Path(settings.BASE_DIR) / ".." / "shared" / "reference" / "2020-figures.yaml",
    ]
    path = next(p for p in candidates if p.exists())
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {f["id"]: f["value"] for f in data["figures"] if f["id"].startswith(prefix)}


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
