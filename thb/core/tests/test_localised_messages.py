"""The services' and validators' messages write dates and numbers as the active
language does (thb/core/formats.py): "30.01.2021." and "10 000 000" (a no-break space
between the groups) in Latvian,
"30/01/2021" and "10,000,000" in English; never an ISO date or a bare long number."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from thb.core import validators
from thb.profiles import get_profile
from thb.support.rules import Delivered, delivery_breaches


def _message(check, *args, **kwargs) -> str:
    with pytest.raises(ValidationError) as info:
        check(*args, **kwargs)
    return " ".join(info.value.messages)


@pytest.mark.parametrize(
    ("language", "earliest", "bounds", "text"),
    [
        ("lv", "1.01.1900.", "no 0 līdz 10\xa0000\xa0000", "(šeit ir 1\xa0001)"),
        ("en", "01/01/1900", "from 0 to 10,000,000", "(this has 1,001)"),
    ],
)
def test_validator_messages_are_localised(language, earliest, bounds, text):
    with translation.override(language):
        too_early = _message(validators.past_date, datetime.date(1899, 12, 31))
        too_many = _message(validators.count, 10_000_001)
        too_long = _message(validators.text, "x" * 1001, kind=1000)
        year = _message(validators.year, 1800)
    assert earliest in too_early and "1900-01-01" not in too_early
    assert ".." not in too_early  # the Latvian date's own point ends the sentence
    assert bounds in too_many and "10000000" not in too_many
    assert text in too_long
    # A year is written without a thousands separator.
    assert "1990" in year and "1 990" not in year and "1,990" not in year


@pytest.mark.parametrize(
    ("language", "day", "iso"),
    [("lv", "29.02.2020.", "2020-02-29"), ("en", "29/02/2020", "2020-02-29")],
)
def test_personal_code_and_age_messages_write_dates_as_the_language_does(language, day, iso):
    with translation.override(language):
        age = _message(
            validators.age_fits_birth,
            40,
            date_of_birth=datetime.date(2000, 1, 1),
            on=datetime.date(2020, 2, 29),
        )
    assert day in age and iso not in age


@pytest.mark.parametrize(("language", "day"), [("lv", "30.01.2021."), ("en", "30/01/2021")])
def test_support_limit_reasons_write_dates_as_the_language_does(language, day):
    ends_on = datetime.date(2021, 1, 30)
    with translation.override(language):
        (breach,) = delivery_breaches(
            get_profile().support,
            starts_on=datetime.date(2020, 11, 1),
            ends_on=ends_on,
            existing=[],
            new=Delivered(datetime.date(2021, 2, 15), "safe_housing_lv", Decimal(1)),
        )
    assert day in breach.message and "2021-01-30" not in breach.message
