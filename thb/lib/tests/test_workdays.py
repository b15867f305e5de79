"""Working days on the real Latvian calendar (from the `holidays` package)."""

from datetime import date

import pytest

from thb.lib.workdays import (
    add_calendar_days,
    add_months,
    add_working_days,
    holiday_name,
    is_working_day,
    lasts_at_least_months,
    next_working_day,
    period_end,
    working_day_on_or_after,
)


def test_restoration_of_independence_day_on_a_monday_is_not_a_working_day():
    # 4 May 2020 was a Monday; 1 May (Labour Day) the Friday before.
    assert date(2020, 5, 4).weekday() == 0
    assert not is_working_day(date(2020, 5, 4))
    assert holiday_name(date(2020, 5, 4)) is not None
    assert next_working_day(date(2020, 4, 30)) == date(2020, 5, 5)


def test_a_transferred_day_off_is_skipped():
    # Friday 2 May 2025 was a day off, transferred from Saturday 10 May 2025;
    # 4 May 2025 fell on a Sunday, so Monday 5 May was the observed holiday.
    assert not is_working_day(date(2025, 5, 2))
    assert not is_working_day(date(2025, 5, 5))
    assert next_working_day(date(2025, 4, 30)) == date(2025, 5, 6)


def test_a_working_saturday_counts():
    assert date(2025, 5, 10).weekday() == 5
    assert is_working_day(date(2025, 5, 10))
    assert not is_working_day(date(2025, 5, 17))  # an ordinary Saturday
    assert next_working_day(date(2025, 5, 9)) == date(2025, 5, 10)
    # Three working days after Thursday 8 May 2025: Fri 9, Sat 10, Mon 12.
    assert add_working_days(date(2025, 5, 8), 3) == date(2025, 5, 12)


def test_a_period_crossing_the_year_end_skips_the_holidays():
    # 31 December and 1 January are holidays, 2-3 January 2021 a weekend.
    assert add_working_days(date(2020, 12, 29), 3) == date(2021, 1, 5)
    # 24-26 December 2020: Christmas Eve, Christmas, Second Day of Christmas.
    assert add_working_days(date(2020, 12, 23), 1) == date(2020, 12, 28)
    assert period_end(date(2020, 12, 10), 30) == date(2021, 1, 8)


def test_a_decision_on_a_friday():
    friday = date(2020, 10, 2)
    assert friday.weekday() == 4
    # Three working days after it: Mon 5, Tue 6, Wed 7 October.
    assert add_working_days(friday, 3) == date(2020, 10, 7)
    # 30 days counted from the decision day end on Saturday 31 October; three
    # working days from the next working day after it end on Wednesday 4 November.
    end = period_end(friday, 30)
    assert end == date(2020, 10, 31)
    assert add_working_days(end, 3) == date(2020, 11, 4)
    # Three calendar days after a Friday is a Monday.
    assert add_calendar_days(friday, 3) == date(2020, 10, 5)


def test_the_summer_transfer_of_2020():
    # Monday 22 June 2020 was a day off, worked on Saturday 13 June 2020.
    assert not is_working_day(date(2020, 6, 22))
    assert is_working_day(date(2020, 6, 13))
    assert working_day_on_or_after(date(2020, 6, 20)) == date(2020, 6, 25)


def test_months_end_on_the_last_day_of_a_short_month():
    assert add_months(date(2020, 8, 31), 6) == date(2021, 2, 28)
    assert add_months(date(2019, 8, 31), 6) == date(2020, 2, 29)
    assert add_months(date(2020, 1, 15), 6) == date(2020, 7, 15)


def test_six_months_include_both_ends():
    assert lasts_at_least_months(date(2020, 1, 1), date(2020, 6, 30), 6)
    assert not lasts_at_least_months(date(2020, 1, 1), date(2020, 6, 29), 6)


def test_it_refuses_a_count_below_one():
    with pytest.raises(ValueError, match="at least 1"):
        add_working_days(date(2020, 1, 1), 0)
    with pytest.raises(ValueError, match="at least one day"):
        period_end(date(2020, 1, 1), 0)
