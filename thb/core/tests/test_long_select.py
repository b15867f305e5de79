"""LongSelect writes the same <select> as Django's Select, faster."""

from __future__ import annotations

import pytest
from django import forms
from django.test import SimpleTestCase

from thb.core.forms import LongSelect, NormalizedChoices

CHOICES = [("", "all"), ("LV", "Latvija"), ("GB", "Apvienotā Karaliste"), ("X&Y", "<b>x & y</b>")]


@pytest.mark.parametrize("value", ["", "LV", "X&Y", None, "nothing"])
def test_same_html_as_djangos_select(value: str | None) -> None:
    class Plain(forms.Form):
        country = forms.ChoiceField(choices=CHOICES, required=False)

    class Long(forms.Form):
        country = forms.ChoiceField(choices=CHOICES, required=False, widget=LongSelect)

    data = None if value is None else {"country": value}
    SimpleTestCase().assertHTMLEqual(str(Long(data)["country"]), str(Plain(data)["country"]))
    assert "&lt;b&gt;x &amp; y&lt;/b&gt;" in str(Long(data)["country"])


def test_grouped_choices_are_refused() -> None:
    widget = LongSelect(choices=[("Baltic", [("LV", "Latvija")])])
    with pytest.raises(TypeError, match="grouped"):
        widget.render("country", "LV")


def test_normalized_choices_are_taken_as_they_are() -> None:
    class Plain(forms.Form):
        country = forms.ChoiceField(choices=CHOICES, required=False)

    class Given(forms.Form):
        country = forms.ChoiceField(required=False)

        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            self.fields["country"].choices = NormalizedChoices(CHOICES)  # type: ignore[attr-defined]

    SimpleTestCase().assertHTMLEqual(str(Given()["country"]), str(Plain()["country"]))
    assert Given({"country": "GB"}).is_valid() and not Given({"country": "XX"}).is_valid()
    assert list(Given().fields["country"].choices) == CHOICES  # type: ignore[attr-defined]
