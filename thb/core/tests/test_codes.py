"""Record codes take their prefix from the profile (country as data)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from thb.core.codes import CODE_ALPHABET, random_code
from thb.profiles.loader import ProfileError, load_profile


def test_a_code_is_the_profiles_prefix_the_year_and_five_readable_characters() -> None:
    codes = {random_code("person", 2020) for _ in range(200)}
    assert len(codes) > 190
    assert all(re.fullmatch(rf"CTU-2020-[{CODE_ALPHABET}]{{5}}", code) for code in codes)
    assert random_code("referral", 2021).startswith("NOS-2021-")
    assert random_code("anonymous_notification", 2021).startswith("ANO-2021-")
    assert not set("01IO") & set(CODE_ALPHABET)


def test_two_kinds_with_one_prefix_are_refused(profile_copy: Path) -> None:
    path = profile_copy / "country.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("referral: NOS", "referral: CTU"),
        encoding="utf-8",
    )
    with pytest.raises(ProfileError, match="record_codes"):
        load_profile(profile_copy)
