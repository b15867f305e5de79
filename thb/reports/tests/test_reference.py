from pathlib import Path

import pytest
from django.conf import settings

from thb.reports.reference import DIRECTORY, reference_figures


def test_the_reference_has_the_178_figures():
    figures = reference_figures()
    assert len(figures) == 178
    assert figures["victims.identified"] == 48
    assert set(reference_figures("support.")) <= set(figures)


def test_the_copy_equals_the_shared_original_where_present():
    shared = Path(settings.BASE_DIR).parent / "shared" / "reference" / "2020-figures.yaml"
    if not shared.exists():
        pytest.skip("shared/ is not beside this checkout")
    copy = DIRECTORY / "lv-2020-figures.yaml"
    assert copy.read_bytes() == shared.read_bytes()
