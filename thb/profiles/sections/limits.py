"""The `limits` and `personal_code` sections of a country profile
(thb/profiles/<country>/limits.yaml): the realistic range and precision of every number
and date a user or a file enters (forms, the API and imports all check them through
thb.core.validators), and the format of the country's personal identity code."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from pydantic import Field, field_validator, model_validator

from thb.profiles.schema_base import Label, Strict


class DateLimits(Strict):
    # No date of a record, a date of birth included, is earlier.
    earliest: datetime.date = Field(ge=datetime.date(1800, 1, 1))
    # How far ahead a date may lie where the field allows the future (a course's planned
    # end, a permit's validity).
    years_ahead: int = Field(ge=0, le=100)


class YearLimits(Strict):
    """Years of reports, funding and yearly returns."""

    earliest: int = Field(ge=1900, le=2100)
    latest: int = Field(ge=1900, le=2200)


class MoneyMaximum(Strict):
    """The largest amount, in whole euros, one record may carry, by kind of amount."""

    payment: Decimal = Field(gt=0, le=10**12)
    funding: Decimal = Field(gt=0, le=10**12)
    property: Decimal = Field(gt=0, le=10**12)


class MoneyLimits(Strict):
    decimal_places: int = Field(ge=0, le=4)
    maximum_eur: MoneyMaximum


class HourLimits(Strict):
    decimal_places: int = Field(ge=0, le=4)
    per_service: Decimal = Field(gt=0, le=8760)


class CountLimits(Strict):
    maximum: int = Field(ge=1, le=2_000_000_000)


class AgeLimits(Strict):
    maximum: int = Field(ge=1, le=150)
    # An age at identification may be this many years above the age at the intake date
    # (identification follows the intake, sometimes by months).
    tolerance_years: int = Field(ge=0, le=5)


class MonthLimits(Strict):
    """Periods entered in months (sentences: the justice section's maxima)."""

    residence_permit: int = Field(ge=1, le=32767)


class TextLimits(Strict):
    """The most characters of one entered text, by kind of text."""

    name: int = Field(ge=20, le=10_000)
    line: int = Field(ge=20, le=10_000)
    notes: int = Field(ge=100, le=1_000_000)
    chapter: int = Field(ge=100, le=1_000_000)

    @model_validator(mode="after")
    def _ordered(self) -> TextLimits:
        if not self.name <= self.line <= self.notes <= self.chapter:
            raise ValueError("text: name <= line <= notes <= chapter")
        return self


class LimitsSection(Strict):
    dates: DateLimits
    years: YearLimits
    money: MoneyLimits
    hours: HourLimits
    counts: CountLimits
    ages: AgeLimits
    months: MonthLimits
    # Accompanying minor children named in one residence-permit request.
    children: int = Field(ge=0, le=100)
    text: TextLimits

    @model_validator(mode="after")
    def _check_years(self) -> LimitsSection:
        if self.years.earliest > self.years.latest:
            raise ValueError("years: earliest is after latest")
        return self


class Checksum(Strict):
    """A weighted check digit: the last digit must equal
    (offset - sum(digit_i * weight_i)) mod modulus, over the digits before it."""

    weights: list[int] = Field(min_length=1)
    offset: int = 0
    modulus: int = Field(ge=2)


class PersonalCodeFormat(Strict):
    code: str = Field(pattern=r"^[a-z0-9_]+$")
    label: Label
    # A full-match regular expression. Named groups `day`, `month`, `year` (two digits)
    # and `century` make the code carry a date of birth, which must be a real date.
    pattern: str
    # Century digit -> the hundreds of the year of birth (e.g. "1": 1900).
    centuries: dict[str, int] = Field(default_factory=dict)
    checksum: Checksum | None = None

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a regular expression: {exc}") from None
        return value


class PersonalCodeSection(Strict):
    label: Label
    # Shown in messages: how a valid code looks.
    example: str
    formats: list[PersonalCodeFormat] = Field(min_length=1)
