"""The validators of every number and date entered, with the bounds of the Latvian
profile (thb/profiles/lv/limits.yaml), and the personal code's format and check digit."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from thb.core import formats, validators
from thb.profiles import get_profile


@pytest.fixture(autouse=True)
def _english() -> object:
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    "value", ["1e30", "0.001", "-1", "NaN", "Infinity", "abc", "", "1000000.01", True]
)
def test_an_amount_out_of_range_or_precision_is_refused(value: object) -> None:
    with pytest.raises(ValidationError) as exc:
        validators.amount(value, field="amount_eur")
    assert list(exc.value.message_dict) == ["amount_eur"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1935", Decimal("1935.00")), ("0.1", Decimal("0.10")), (Decimal("1E+2"), Decimal("100.00"))],
)
def test_an_amount_in_range_comes_back_to_the_cent(value: object, expected: Decimal) -> None:
    assert validators.amount(value) == expected
    assert validators.amount(value).as_tuple().exponent == -2


def test_the_maximum_depends_on_the_kind_of_amount() -> None:
    maximum = get_profile().limits.money.maximum_eur
    assert validators.amount(maximum.payment) == maximum.payment
    with pytest.raises(ValidationError):
        validators.amount(maximum.payment + 1)
    assert validators.amount(maximum.payment + 1, kind="funding") == maximum.payment + 1
    assert validators.amount(maximum.property, kind="property") == maximum.property


def test_zero_is_refused_where_an_amount_must_be_paid() -> None:
    assert validators.amount("0") == 0
    with pytest.raises(ValidationError, match="greater than 0"):
        validators.amount("0", allow_zero=False)


@pytest.mark.parametrize("value", ["1e9", "200.01", "-0.5", "1.001", "inf"])
def test_hours_of_one_service_are_bounded(value: str) -> None:
    with pytest.raises(ValidationError):
        validators.hours(value, field="hours")
    assert validators.hours("1.5") == Decimal("1.50")


def test_counts_ages_years_and_months_are_bounded() -> None:
    limits = get_profile().limits
    assert validators.count(limits.counts.maximum) == limits.counts.maximum
    for check, bad in [
        (validators.count, limits.counts.maximum + 1),
        (validators.count, -1),
        (validators.count, "2.5"),
        (validators.age, 121),
        (validators.year, 1989),
        (validators.year, 99999999999999999999),
        (validators.children, 21),
    ]:
        with pytest.raises(ValidationError):
            check(bad)
    with pytest.raises(ValidationError):
        validators.months(301, kind="deprivation_of_liberty")
    assert validators.months(36, kind="probation") == 36


def test_dates_of_past_events_are_from_1900_to_today() -> None:
    today = timezone.localdate()
    assert validators.past_date(today) == today
    assert validators.past_date(datetime.date(1900, 1, 1)) == datetime.date(1900, 1, 1)
    # The bound is written as the active language writes dates (thb.core.formats.day).
    with pytest.raises(
        ValidationError, match=re.escape(f"before {formats.day(datetime.date(1900, 1, 1))}")
    ):
        validators.past_date(datetime.date(1, 1, 1), field="date_of_birth")
    with pytest.raises(ValidationError, match="future"):
        validators.past_date(today + datetime.timedelta(days=1))


def test_a_date_that_may_lie_ahead_is_bounded_too() -> None:
    today = timezone.localdate()
    assert validators.record_date(today.replace(year=today.year + 2, day=1))
    with pytest.raises(ValidationError):
        validators.record_date(datetime.date(9999, 12, 31))


def test_an_age_must_fit_the_date_of_birth() -> None:
    birth, intake = datetime.date(2000, 6, 15), datetime.date(2020, 6, 14)
    assert validators.age_on(birth, intake) == 19
    validators.age_fits_birth(19, date_of_birth=birth, on=intake)
    validators.age_fits_birth(20, date_of_birth=birth, on=intake)  # identified a bit later
    with pytest.raises(ValidationError) as exc:
        validators.age_fits_birth(45, date_of_birth=birth, on=intake)
    assert "age_at_identification" in exc.value.message_dict
    with pytest.raises(ValidationError):
        validators.age_fits_birth(18, date_of_birth=birth, on=intake)
    with pytest.raises(ValidationError) as exc:
        validators.age_fits_birth(1, date_of_birth=datetime.date(2021, 1, 1), on=intake)
    assert "date_of_birth" in exc.value.message_dict


# The Latvian personal code, as the profile describes it.


@pytest.mark.parametrize(
    "code",
    [
        "010101-10006",  # 1 January 1901: check digit (1101 - 28) mod 11 = 6
        "01010110006",  # the hyphen is optional
        " 010101-10006 ",
        "320000-12345",  # a code issued since 1 July 2017: no date, no check digit
        "32123412345",
    ],
)
def test_a_valid_personal_code_passes(code: str) -> None:
    assert validators.personal_code(code) == "".join(code.split())


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("010101-10007", "check digit"),
        ("310299-10000", "date of birth"),  # 31 February
        ("anything at all", "format"),
        ("12345", "format"),
        ("330000-12345", "date of birth"),  # 33rd day: not the 32 format either
        ("010101-30006", "format"),  # century digit 3 does not exist
    ],
)
def test_an_invalid_personal_code_is_refused_with_the_reason(code: str, problem: str) -> None:
    with pytest.raises(ValidationError) as exc:
        validators.personal_code(code, field="personal_code")
    message = " ".join(exc.value.message_dict["personal_code"])
    assert problem in message


def test_a_personal_code_must_carry_the_recorded_date_of_birth() -> None:
    validators.personal_code_fits_birth("010101-10006", datetime.date(1901, 1, 1))
    validators.personal_code_fits_birth("320000-12345", datetime.date(1990, 5, 5))
    with pytest.raises(ValidationError) as exc:
        validators.personal_code_fits_birth("010101-10006", datetime.date(2001, 1, 1))
    assert formats.day(datetime.date(1901, 1, 1)) in " ".join(
        exc.value.message_dict["personal_code"]
    )


def test_a_blank_personal_code_is_allowed() -> None:
    assert validators.personal_code("  ") == ""


def test_the_check_digit_rule_is_profile_data() -> None:
    [with_date, random] = get_profile().personal_code.formats
    assert with_date.checksum is not None
    assert with_date.checksum.weights == [1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    assert random.checksum is None


def test_schema_check_turns_the_rule_into_a_pydantic_error() -> None:
    check = validators.schema_check(validators.amount, allow_zero=False)
    assert check(Decimal("5")) == Decimal("5.00")
    with pytest.raises(ValueError, match="greater than 0"):
        check(Decimal("0"))


def test_the_bounds_come_from_the_profile(monkeypatch: pytest.MonkeyPatch) -> None:
    profile = get_profile()
    money = profile.limits.money.model_copy(
        update={
            "maximum_eur": profile.limits.money.maximum_eur.model_copy(
                update={"payment": Decimal(100)}
            )
        }
    )
    other = profile.model_copy(
        update={"limits": profile.limits.model_copy(update={"money": money})}
    )
    monkeypatch.setattr(validators, "get_profile", lambda: other)
    assert validators.amount("100") == Decimal("100.00")
    with pytest.raises(ValidationError, match="100"):
        validators.amount("100.01")


def test_text_lengths_come_from_the_profile(monkeypatch: pytest.MonkeyPatch) -> None:
    assert validators.text("x" * 200, kind="name") == "x" * 200
    with pytest.raises(ValidationError, match=r"at most 200 characters \(this has 201\)"):
        validators.text("x" * 201, kind="name")
    # A fixed database width is kept, but never above the profile's line.
    assert validators.text_limit(40) == 40 and validators.text_limit(5000) == 300
    profile = get_profile()
    text = profile.limits.text.model_copy(update={"notes": 500})
    other = profile.model_copy(update={"limits": profile.limits.model_copy(update={"text": text})})
    monkeypatch.setattr(validators, "get_profile", lambda: other)
    with pytest.raises(ValidationError) as info:
        validators.texts({"notes": ("x" * 501, "notes"), "surname": ("x" * 201, "name")})
    assert set(info.value.message_dict) == {"notes", "surname"}


def test_the_text_limits_are_checked_when_the_profile_loads() -> None:
    from pydantic import ValidationError as SchemaError

    from thb.profiles.sections.limits import TextLimits

    with pytest.raises(SchemaError, match="name <= line <= notes"):
        TextLimits(name=500, line=300, notes=10_000, chapter=50_000)
