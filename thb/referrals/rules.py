"""The referral's rules that are computed, not stored: the country's local date, the
acknowledgement deadline of an urgency level, and whether a person is a minor. Every
number comes from the country profile (profiles/<cc>/referral.yaml, country.yaml)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from thb.lib.workdays import add_calendar_days, add_working_days
from thb.profiles import get_profile


def local_date(moment: datetime) -> date:
    """The calendar day of a moment in the country's time zone (country.time_zone)."""
    return timezone.localtime(moment, ZoneInfo(get_profile().country.time_zone)).date()


def today() -> date:
    return local_date(timezone.now())


def acknowledge_by(sent_on: date, urgency: str) -> date:
    """The last day on which the provider acknowledges a referral sent on `sent_on`:
    the urgency level's days or working days (the country's public holidays) later."""
    profile = get_profile()
    within = profile.referral.urgency(urgency).acknowledge_within
    if within.unit == "working_days":
        return add_working_days(sent_on, within.value, profile.country.code)
    return add_calendar_days(sent_on, within.value)


def is_minor(age: int | None) -> bool:
    return age is not None and age < get_profile().country.age_of_majority


def minor_age_groups() -> list[str]:
    """The profile's age groups that lie wholly under the age of majority."""
    profile = get_profile()
    majority = profile.country.age_of_majority
    return [
        group.code
        for group in profile.age_groups
        if group.max_age is not None and group.max_age < majority
    ]
