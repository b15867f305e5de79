"""Country as data: the country's language, its code and its time zone are named by
the profile only. No product module (tests, migrations and the demo data aside) writes
them as a literal, every label of the profile is a text per the profile's languages,
and Django's language and time-zone settings come from the profile."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings

from thb.profiles import get_profile
from thb.profiles.schema_base import Label, labels_in

ROOT = Path(__file__).resolve().parents[2]  # the thb package
# The one place a country is named: the profile THB runs with when none is set.
ALLOWED = {("settings.py", "lv")}


def _product_modules() -> list[Path]:
    return [
        path
        for path in ROOT.rglob("*.py")
        if not {"tests", "migrations"} & set(path.relative_to(ROOT).parts)
        and path.name not in {"demo.py", "conftest.py"}
    ]


def test_no_module_names_the_country_language_code_or_time_zone():
    country = get_profile().country
    named = {country.languages[0], country.code, country.time_zone}
    found = []
    for path in _product_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in named:
                where = str(path.relative_to(ROOT))
                if (where, node.value) not in ALLOWED:
                    found.append(f"{where}:{node.lineno}: {node.value!r}")
    assert not found, "the profile names these, not the code:\n" + "\n".join(found)


def test_django_takes_the_languages_and_the_time_zone_from_the_profile():
    country = get_profile().country
    assert [code for code, _name in settings.LANGUAGES] == country.languages
    assert country.languages[0] == settings.LANGUAGE_CODE
    assert country.time_zone == settings.TIME_ZONE


def test_every_label_has_a_text_in_each_language_of_the_profile():
    profile = get_profile()
    labels = list(labels_in(profile))
    assert len(labels) > 500
    for where, label in labels:
        assert set(label.root) == set(profile.country.languages), where


def test_a_label_falls_back_to_the_base_language_then_the_countrys():
    label = Label({"lv": "Latvija", "en": "Latvia"})
    assert label.get("en") == label.get("en-gb") == "Latvia"
    assert label.get("de") == label.get("") == "Latvija"


def test_a_profile_label_missing_a_language_is_refused(profile_copy):
    from thb.profiles.loader import ProfileError, load_profile

    path = profile_copy / "country.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("name: {lv: Latvija, en: Latvia}", "name: {lv: Latvija}"))
    with pytest.raises(ProfileError, match=r"country\.name: no text in en"):
        load_profile(profile_copy)
    path.write_text(text.replace("languages: [lv, en]", "languages: [lv, en, de]"))
    with pytest.raises(ProfileError, match="no text in de"):
        load_profile(profile_copy)
