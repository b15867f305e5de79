"""The residence section of the profile: the law's numbers with their legal basis."""

from pathlib import Path

import pytest

from thb.profiles.loader import PROFILES_DIR, ProfileError, load_profile


def test_the_latvian_numbers_and_their_basis():
    residence = load_profile(PROFILES_DIR / "lv").residence
    rules = residence.rules
    assert (rules.application_days.value, rules.application_days.unit) == (3, "days")
    assert rules.reflection_period_days.value == 30
    assert (rules.evaluation_working_days.value, rules.evaluation_working_days.unit) == (
        3,
        "working_days",
    )
    assert (rules.permit_min_months.value, rules.permit_min_months.unit) == (6, "months")
    assert residence.cite(rules.application_days.basis, "en").endswith("Section 4(1)")


def test_a_bad_value_names_file_and_key(profile_copy: Path):
    path = profile_copy / "residence.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("value: 30", "value: thirty"), encoding="utf-8"
    )
    with pytest.raises(ProfileError) as info:
        load_profile(profile_copy)
    assert "residence.yaml" in str(info.value)
    assert "residence.rules.reflection_period_days.value" in str(info.value)


def test_a_wrong_unit_is_refused(profile_copy: Path):
    path = profile_copy / "residence.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("unit: working_days", "unit: days"),
        encoding="utf-8",
    )
    with pytest.raises(ProfileError, match=r"evaluation_working_days\.unit"):
        load_profile(profile_copy)


def test_an_unknown_law_is_refused(profile_copy: Path):
    path = profile_copy / "residence.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("law: immigration_law", "law: tax_law"),
        encoding="utf-8",
    )
    with pytest.raises(ProfileError, match="tax_law"):
        load_profile(profile_copy)
