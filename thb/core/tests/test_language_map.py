"""A text in several languages is a language map ({language code: text}) in the
profile's languages: one validator (validators.language_map), one reader
(languages.in_language), one input per language (forms.language_map_fields)."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import translation

from thb.core.forms import add_service_errors, language_map_data, language_map_fields
from thb.core.languages import in_language
from thb.core.validators import language_map

THREE = [("lv", "Latvian"), ("en", "English"), ("de", "German")]


@pytest.fixture
def three_languages(settings: Any) -> None:
    """A country with a third language (the profile's `country.languages`, as
    settings.LANGUAGES holds them)."""
    settings.LANGUAGES = THREE


def test_it_strips_the_texts_leaves_out_empty_ones_and_keeps_the_profiles_order():
    value = {"en": "  State Police ", "lv": "Valsts policija\n"}
    assert language_map(value, kind="line", required=True) == {
        "lv": "Valsts policija",
        "en": "State Police",
    }
    assert language_map({"lv": "", "en": "  "}, kind="line") == {}
    assert language_map(None, kind="line") == {}


def test_it_refuses_a_language_the_profile_does_not_name():
    with pytest.raises(ValidationError) as caught, translation.override("en"):
        language_map({"lv": "Teksts", "de": "Text"}, kind="line", field="names")
    with translation.override("en"):
        messages = caught.value.message_dict["names"]
    assert messages == ["“de” is not one of this country's languages (lv, en)."]


def test_it_requires_the_countrys_language_where_the_map_is_required():
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            language_map({"en": "State Police"}, kind="line", required=True, field="names")
        assert caught.value.message_dict["names"] == [
            "Enter the text in Latvian, the country's language."
        ]
    assert language_map({"en": "Text"}, kind="line") == {"en": "Text"}  # optional map


def test_it_refuses_a_text_too_long_naming_its_language_and_every_failure_at_once():
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        language_map({"en": "x" * 201, "xx": "?"}, kind=200, required=True)
    with translation.override("en"):
        messages = caught.value.messages
    assert len(messages) == 3
    assert "Enter at most 200 characters in English (this has 201)." in messages
    codes = [(error.params or {})["language_code"] for error in caught.value.error_list]
    assert codes == ["en", "xx", "lv"]


def test_it_refuses_what_is_not_a_map():
    for value in ("Valsts policija", ["lv"], {1: "x"}):
        with pytest.raises(ValidationError):
            language_map(value, kind="line")


def test_a_map_reads_in_the_language_or_the_countrys():
    names = {"lv": "Valsts policija", "en": "State Police"}
    assert in_language(names, "en") == in_language(names, "en-gb") == "State Police"
    assert in_language(names, "de") == "Valsts policija"
    assert in_language({"en": "State Police"}, "de") == ""
    assert in_language(names, "de", fallback=False) == ""
    assert in_language(None, "lv") == ""


def test_a_third_language_is_accepted_and_read(three_languages):
    names = language_map({"de": "Staatspolizei", "lv": "Valsts policija"}, kind="line")
    assert names == {"lv": "Valsts policija", "de": "Staatspolizei"}
    assert in_language(names, "de") == "Staatspolizei"
    template = Template("{% load thb %}{{ names|localized }}")
    with translation.override("de"):
        assert template.render(Context({"names": names})) == "Staatspolizei"
    with translation.override("en"):
        assert template.render(Context({"names": names})) == "Valsts policija"


class _NamesForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language_map_fields(self, "names", "Name", kind=200, required=True)


def test_a_form_has_one_input_per_profile_language_named_by_the_language(three_languages):
    with translation.override("en"):
        form = _NamesForm()
        labels = {name: str(field.label) for name, field in form.fields.items()}
    assert labels == {
        "names_lv": "Name (Latvian)",
        "names_en": "Name (English)",
        "names_de": "Name (German)",
    }
    assert [field.required for field in form.fields.values()] == [True, False, False]
    assert form.fields["names_de"].widget.attrs == {"maxlength": "200", "lang": "de"}


def test_a_forms_map_is_read_back_and_each_error_shown_at_its_language(three_languages):
    form = _NamesForm({"names_lv": "Policija", "names_en": "", "names_de": "x" * 201})
    assert form.is_valid()
    value = language_map_data(form.cleaned_data, "names")
    assert value == {"lv": "Policija", "en": "", "de": "x" * 201}
    try:
        language_map(value, kind=200, required=True, field="names")
    except ValidationError as exc:
        add_service_errors(form, exc)
    assert list(form.errors) == ["names_de"]
