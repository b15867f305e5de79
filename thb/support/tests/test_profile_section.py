from pathlib import Path

import pytest

from thb.profiles.loader import PROFILES_DIR, ProfileError, load_profile


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_it_refuses_a_bad_limit_naming_file_and_key(profile_copy: Path):
    _replace(profile_copy / "support.yaml", "course_max_days: 180", "course_max_days: half a year")
    with pytest.raises(ProfileError) as info:
        load_profile(profile_copy)
    assert "support.yaml" in str(info.value)
    assert "support.limits.course_max_days" in str(info.value)


def test_it_refuses_an_unknown_default_specialist(profile_copy: Path):
    _replace(
        profile_copy / "support.yaml",
        "default_specialist: translator",
        "default_specialist: astrologer",
    )
    with pytest.raises(ProfileError, match="astrologer"):
        load_profile(profile_copy)


def test_it_refuses_a_service_listed_twice(profile_copy: Path):
    _replace(
        profile_copy / "support.yaml",
        "- code: lawyer\n      label: {lv: jurista",
        "- code: psychologist\n      label: {lv: jurista",
    )
    with pytest.raises(ProfileError, match="'psychologist' appears twice"):
        load_profile(profile_copy)


def test_the_basket_has_the_report_services():
    section = load_profile(PROFILES_DIR / "lv").support
    codes = {s.code for s in section.services}
    assert {
        "social_worker",
        "psychologist",
        "lawyer",
        "doctor_or_specialist",
        "safe_housing_lv",
        "safe_housing_abroad",
        "travel_costs",
        "document_restoration",
        "document_translation",
        "family_consultation",
        "social_skills_support",
        "education_training",
        "criminal_proceedings_support",
    } <= codes
