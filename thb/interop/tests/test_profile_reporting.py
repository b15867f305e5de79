import shutil
from pathlib import Path

import pytest

from thb.profiles.loader import PROFILES_DIR, ProfileError, load_profile


def test_the_reporting_section_gives_due_dates():
    reporting = load_profile(PROFILES_DIR / "lv").reporting
    assert str(reporting.due_date(2020)) == "2021-03-01"
    assert "detection" in [item.code for item in reporting.report_sections]


def test_a_bad_due_date_is_refused_naming_file_and_key(tmp_path: Path):
    target = tmp_path / "lv"
    shutil.copytree(PROFILES_DIR / "lv", target)
    path = target / "reporting.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("month: 3", "month: 13"))
    with pytest.raises(ProfileError) as info:
        load_profile(target)
    assert "reporting.yaml" in str(info.value)
    assert "reporting.submission_due.month" in str(info.value)
