"""The limits of Reg. No. 344 as pure rules, with the Latvian profile's numbers."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from thb.profiles import get_profile
from thb.support import rules
from thb.support.rules import Delivered

START = date(2020, 3, 2)


@pytest.fixture
def section():
    return get_profile().support


def _codes(breaches):
    return [b.rule for b in breaches]


def test_the_numbers_come_from_the_profile(section):
    limits = section.limits
    assert limits.course_max_days == 180
    assert limits.after_course_consultations == 5
    assert limits.consultation_hours == 1
    assert limits.after_course_years == 2
    assert limits.criminal_proceedings_hours_per_year == 150


def test_a_course_of_180_days_is_within_the_limit_and_181_is_not(section):
    assert rules.plan_breaches(section, starts_on=START, ends_on=START + timedelta(179)) == []
    breaches = rules.plan_breaches(section, starts_on=START, ends_on=START + timedelta(180))
    assert _codes(breaches) == [rules.COURSE_DAYS]
    assert "181" in breaches[0].message
    assert "344" in breaches[0].message


def test_a_service_on_day_181_of_an_extended_course_is_flagged(section):
    end = START + timedelta(199)
    new = Delivered(START + timedelta(179), "psychologist", Decimal(1))
    assert (
        rules.delivery_breaches(section, starts_on=START, ends_on=end, existing=[], new=new) == []
    )
    new = Delivered(START + timedelta(180), "psychologist", Decimal(1))
    assert _codes(
        rules.delivery_breaches(section, starts_on=START, ends_on=end, existing=[], new=new)
    ) == [rules.COURSE_DAYS]


def test_the_sixth_consultation_after_the_course_is_flagged(section):
    end = START + timedelta(99)
    done = [Delivered(end + timedelta(days=10 + n), "psychologist", Decimal(1)) for n in range(5)]
    new = Delivered(end + timedelta(days=40), "lawyer", Decimal(1))
    assert (
        _codes(
            rules.delivery_breaches(
                section, starts_on=START, ends_on=end, existing=done[:4], new=new
            )
        )
        == []
    )
    breaches = rules.delivery_breaches(
        section, starts_on=START, ends_on=end, existing=done, new=new
    )
    assert _codes(breaches) == [rules.AFTER_COURSE_COUNT]
    assert "6" in breaches[0].message


def test_consultations_after_two_years_or_longer_than_an_hour_are_flagged(section):
    end = date(2020, 6, 30)
    late = Delivered(date(2022, 7, 1), "psychologist", Decimal(1))
    assert _codes(
        rules.delivery_breaches(section, starts_on=START, ends_on=end, existing=[], new=late)
    ) == [rules.AFTER_COURSE_WINDOW]
    on_time = Delivered(date(2022, 6, 30), "psychologist", Decimal("1.5"))
    assert _codes(
        rules.delivery_breaches(section, starts_on=START, ends_on=end, existing=[], new=on_time)
    ) == [rules.AFTER_COURSE_HOURS]


def test_housing_after_the_course_is_outside_it(section):
    end = START + timedelta(99)
    new = Delivered(end + timedelta(days=1), "safe_housing_lv", Decimal(0))
    assert _codes(
        rules.delivery_breaches(section, starts_on=START, ends_on=end, existing=[], new=new)
    ) == [rules.OUTSIDE_COURSE]


def test_free_consultations_are_not_for_a_person_with_criminal_proceedings_support(section):
    end = START + timedelta(99)
    support = [Delivered(START + timedelta(days=5), "criminal_proceedings_support", Decimal(3))]
    new = Delivered(end + timedelta(days=5), "psychologist", Decimal(1))
    assert _codes(
        rules.delivery_breaches(section, starts_on=START, ends_on=end, existing=support, new=new)
    ) == [rules.AFTER_COURSE_EXCLUDED]


def test_criminal_proceedings_support_counts_hours_per_calendar_year(section):
    end = START + timedelta(179)
    done = [Delivered(date(2020, 4, 1), "criminal_proceedings_support", Decimal(149))]
    ok = Delivered(date(2020, 5, 1), "criminal_proceedings_support", Decimal(1))
    over = Delivered(date(2020, 5, 1), "criminal_proceedings_support", Decimal("1.5"))
    next_year = Delivered(date(2021, 1, 4), "criminal_proceedings_support", Decimal(10))

    def check(new):
        return rules.delivery_breaches(
            section, starts_on=START, ends_on=end, existing=done, new=new
        )

    assert check(ok) == []
    breaches = check(over)
    assert _codes(breaches) == [rules.CRIMINAL_PROCEEDINGS_HOURS]
    assert "150 " in breaches[0].message and "344" in breaches[0].message
    assert check(next_year) == []


def test_29_february_plus_two_years_is_28_february():
    assert rules.add_years(date(2020, 2, 29), 2) == date(2022, 2, 28)
