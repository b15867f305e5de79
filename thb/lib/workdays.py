"""Working days of a country, for legal deadlines.

Public holidays and transferred working days come from the `holidays` package
(`holidays.country_holidays(code)`, the profile's country code), never from a list
kept here: Latvia, for one, moves
working days every year by Cabinet order (e.g. Friday 2 May 2025 was a day off,
worked on Saturday 10 May 2025), and the package follows those orders. Its
`is_working_day` already knows both the holidays and the Saturdays that are
working days (`weekend_workdays`).

Counting conventions used by the deadline rules:

- `add_calendar_days(start, n)`: the day n calendar days after `start`.
- `add_working_days(start, n)`: the n-th working day after `start` (the start day
  itself is never counted, as in "within 3 working days after the decision").
- `period_end(start, days)`: the last day of a period of `days` days that counts
  `start` as its first day ("30 days counted from the day of the decision").
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache

import holidays


def _country(country: str | None) -> str:
    """The country asked for, or the profile's (`country.code`)."""
    if country:
        return country
    from thb.profiles import get_profile

    return get_profile().country.code


@lru_cache(maxsize=8)
def _calendar(country: str) -> holidays.HolidayBase:
    # expand=True: years are loaded on first use, so one object serves every year.
    return holidays.country_holidays(country, expand=True)


def is_working_day(day: date, country: str | None = None) -> bool:
    """A weekday that is not a public holiday or transferred day off, or a weekend day
    that was made a working day."""
    return bool(_calendar(_country(country)).is_working_day(day))


def holiday_name(day: date, country: str | None = None) -> str | None:
    """The name of the holiday on that day (None on ordinary days)."""
    name = _calendar(_country(country)).get(day)
    return str(name) if name is not None else None


def next_working_day(day: date, country: str | None = None) -> date:
    """The first working day after `day` (never `day` itself)."""
    return add_working_days(day, 1, country)


def working_day_on_or_after(day: date, country: str | None = None) -> date:
    """`day` if it is a working day, else the next working day."""
    while not is_working_day(day, country):
        day += timedelta(days=1)
    return day


def add_working_days(start: date, n: int, country: str | None = None) -> date:
    """The n-th working day after `start` (n >= 1); `start` itself is not counted."""
    if n < 1:
        raise ValueError("n must be at least 1")
    day = start
    counted = 0
    while counted < n:
        day += timedelta(days=1)
        if is_working_day(day, country):
            counted += 1
    return day


def add_calendar_days(start: date, n: int) -> date:
    return start + timedelta(days=n)


def period_end(start: date, days: int) -> date:
    """The last day of a period of `days` days whose first day is `start`."""
    if days < 1:
        raise ValueError("a period lasts at least one day")
    return start + timedelta(days=days - 1)


def add_months(start: date, months: int) -> date:
    """The same day `months` later; the end of the month if that day does not exist
    (31 August + 6 months = 28 or 29 February)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def lasts_at_least_months(valid_from: date, valid_to: date, months: int) -> bool:
    """Whether the period from `valid_from` to `valid_to`, both days included, lasts
    at least `months` months (1 January to 30 June is six months)."""
    return valid_to + timedelta(days=1) >= add_months(valid_from, months)
