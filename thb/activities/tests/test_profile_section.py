import shutil
from pathlib import Path

import pytest

from thb.profiles.loader import PROFILES_DIR, ProfileError, load_profile


@pytest.fixture
def profile_copy(tmp_path: Path) -> Path:
    target = tmp_path / "lv"
    shutil.copytree(PROFILES_DIR / "lv", target)
    return target


def test_a_bad_participant_sector_names_file_and_key(profile_copy: Path):
    path = profile_copy / "activities.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("sector: municipal", "sector: city", 1),
        encoding="utf-8",
    )
    with pytest.raises(ProfileError) as info:
        load_profile(profile_copy)
    assert "activities.yaml" in str(info.value)
    assert "activities.participant_groups[5].sector" in str(info.value)


def test_a_figure_naming_an_unknown_code_is_refused(profile_copy: Path):
    path = profile_copy / "activities.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "place_type: out_of_family_care}", "place_type: orphanage}"
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError, match=r"activities\.yaml.*orphanage"):
        load_profile(profile_copy)
