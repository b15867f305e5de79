from pathlib import Path

import pytest

from thb.profiles import get_profile
from thb.profiles.loader import ProfileError, load_profile


def test_a_bad_justice_value_names_file_and_key(profile_copy: Path):
    path = profile_copy / "justice.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "probation_supervision_max_months: 36", "probation_supervision_max_months: many"
        ),
        encoding="utf-8",
    )
    with pytest.raises(ProfileError) as info:
        load_profile(profile_copy)
    assert "justice.yaml" in str(info.value)
    assert "justice.probation_supervision_max_months" in str(info.value)


def test_a_bad_number_pattern_is_refused(profile_copy: Path):
    path = profile_copy / "justice.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "proceeding_number_pattern: '^[0-9A-Z][0-9A-Z/-]{2,39}$'",
            "proceeding_number_pattern: '[unclosed'",
        ),
        encoding="utf-8",
    )
    with pytest.raises(ProfileError, match="proceeding_number_pattern"):
        load_profile(profile_copy)


def test_the_related_offences_table_names_known_sections():
    profile = get_profile()
    for code in profile.justice.related_offences_table:
        assert profile.legal_section(code).group == "related"
