"""Country as data: the country's language, its code and its time zone are named by
the profile only. No product module (tests, migrations and the demo data aside) writes
them as a literal, every label of the profile is a text per the profile's languages,
no model keeps a column per language (a text in several languages is one language map),
and Django's language and time-zone settings come from the profile."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import global_settings, settings
from django.db.models import Model

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


# "_id" ends many a column (external_id) and is the code of Indonesian too.
NOT_A_LANGUAGE_SUFFIX = {"id"}


def _language_suffixes() -> set[str]:
    codes = {code for code, _name in global_settings.LANGUAGES} | set(
        get_profile().country.languages
    )
    suffixes = {code.replace("-", "_") for code in codes} | {code.split("-")[0] for code in codes}
    return suffixes - NOT_A_LANGUAGE_SUFFIX


def language_columns(models: list[type[Model]]) -> list[str]:
    """The fields named for one language (`name_en`, `text_lv`) of these models."""
    suffixes = _language_suffixes()
    return [
        f"{model._meta.label}.{field.name}"
        for model in models
        for field in model._meta.get_fields()
        if not field.auto_created
        and field.name.rpartition("_")[2] in suffixes
        and "_" in field.name
    ]


def test_no_model_keeps_a_column_per_language():
    """A text in several languages is one JSON language map ({language code: text},
    e.g. Institution.names), checked by validators.language_map: a column per language
    hard-codes the languages and leaves a country with a third one unserved."""
    models = [model for model in apps.get_models() if model.__module__.startswith("thb.")]
    assert len(models) > 50
    found = language_columns(models)
    assert not found, "one language map instead of these columns:\n" + "\n".join(found)


def test_the_column_check_finds_a_column_named_for_a_language():
    from django.db import models

    class Legacy(models.Model):
        name = models.CharField(max_length=10)
        name_en = models.CharField(max_length=10)
        text_lv = models.TextField()
        external_id = models.CharField(max_length=10)

        class Meta:
            app_label = "core"

        def __str__(self) -> str:
            return self.name

    try:
        assert language_columns([Legacy]) == ["core.Legacy.name_en", "core.Legacy.text_lv"]
    finally:
        apps.all_models["core"].pop("legacy", None)
        apps.clear_cache()


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
