from pathlib import Path

import pytest

from thb.profiles.loader import PROFILES_DIR, ProfileError, load_profile


def test_the_latvian_profile_loads():
    profile = load_profile(PROFILES_DIR / "lv")
    assert profile.country.code == "LV"
    assert "labour" in profile.codes("exploitation_forms")
    assert profile.label("regions", "latgale", "en") == "Latgale region"
    assert profile.sector("food_industry").report_codes["injured_party"] == "food_production"


def test_a_bad_value_names_file_and_key(profile_copy: Path):
    path = profile_copy / "victims.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("priority: 3", "priority: three"),
        encoding="utf-8",
    )
    with pytest.raises(ProfileError) as info:
        load_profile(profile_copy)
    message = str(info.value)
    assert "victims.yaml" in message
    assert "exploitation_forms[2].priority" in message


def test_an_unknown_key_is_refused(profile_copy: Path):
    (profile_copy / "extra.yaml").write_text("colour_codes: []\n", encoding="utf-8")
    with pytest.raises(ProfileError, match="colour_codes"):
        load_profile(profile_copy)


def test_a_duplicate_code_is_refused(profile_copy: Path):
    path = profile_copy / "victims.yaml"
    text = path.read_text(encoding="utf-8").replace("code: partner", "code: internet")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError, match="'internet' appears twice"):
        load_profile(profile_copy)


def test_a_key_defined_in_two_files_is_refused(profile_copy: Path):
    (profile_copy / "zz.yaml").write_text("regions: []\n", encoding="utf-8")
    with pytest.raises(ProfileError, match="already defined"):
        load_profile(profile_copy)


def test_broken_yaml_is_named(profile_copy: Path):
    (profile_copy / "legal.yaml").write_text("legal_sections: [\n", encoding="utf-8")
    with pytest.raises(ProfileError, match=r"legal\.yaml: not valid YAML"):
        load_profile(profile_copy)


def test_libyaml_reads_every_profile_file_as_the_python_parser_does() -> None:
    from pathlib import Path

    import yaml

    from thb.profiles.loader import PROFILES_DIR, SafeLoader, read_yaml

    assert SafeLoader is yaml.CSafeLoader  # the wheels are built with libyaml
    files = sorted(Path(PROFILES_DIR).glob("*/*.yaml"))
    assert len(files) > 20
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert read_yaml(text) == yaml.safe_load(text), path
