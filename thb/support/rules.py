"""The limits of Cabinet Regulation No. 344 on a plan and its services, as pure
functions: they name each limit a record would exceed, so the service can refuse it
without a recorded reason and flag it with one. Numbers come from the profile."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thb.core import formats
from thb.core.languages import current_language
from thb.profiles.sections.support import SupportSection

# Rule codes stored in limit_flags; their legal basis is in the profile.
COURSE_DAYS = "course_days"
OUTSIDE_COURSE = "outside_course"
AFTER_COURSE_COUNT = "after_course_count"
AFTER_COURSE_WINDOW = "after_course_window"
AFTER_COURSE_HOURS = "after_course_hours"
AFTER_COURSE_EXCLUDED = "after_course_excluded"
CRIMINAL_PROCEEDINGS_HOURS = "criminal_proceedings_hours"

RULE_BASIS = {
    COURSE_DAYS: "course",
    OUTSIDE_COURSE: "course",
    AFTER_COURSE_COUNT: "after_course",
    AFTER_COURSE_WINDOW: "after_course",
    AFTER_COURSE_HOURS: "after_course",
    AFTER_COURSE_EXCLUDED: "after_course",
    CRIMINAL_PROCEEDINGS_HOURS: "criminal_proceedings",
}

# What each rule code means, as users read it (never the code itself).
RULE_LABELS = {
    COURSE_DAYS: gettext_lazy("course longer than the limit"),
    OUTSIDE_COURSE: gettext_lazy("service outside the course"),
    AFTER_COURSE_COUNT: gettext_lazy("too many services after the course"),
    AFTER_COURSE_WINDOW: gettext_lazy("service after the period that follows the course"),
    AFTER_COURSE_HOURS: gettext_lazy("too many hours after the course"),
    AFTER_COURSE_EXCLUDED: gettext_lazy("service not offered after the course"),
    CRIMINAL_PROCEEDINGS_HOURS: gettext_lazy("too many hours of support in criminal proceedings"),
}


def rule_label(rule: str) -> str:
    """The words of a rule code; "plan.<rule>" (a plan's count in the funding
    statistics) reads "<words> (plans)"."""
    if rule.startswith("plan."):
        return _("%(rule)s (plans)") % {"rule": rule_label(rule.removeprefix("plan."))}
    return str(RULE_LABELS.get(rule, rule))


@dataclass(frozen=True)
class Breach:
    rule: str
    message: str


@dataclass(frozen=True)
class Delivered:
    """The facts of a delivered service the rules need (a model row or a candidate)."""

    delivered_on: date
    service: str
    hours: Decimal


def basis(section: SupportSection, rule: str) -> str:
    return str(getattr(section.legal_basis, RULE_BASIS[rule]).get(current_language()))


def course_last_day(section: SupportSection, starts_on: date) -> date:
    return starts_on + timedelta(days=section.limits.course_max_days - 1)


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


def after_course_until(section: SupportSection, ends_on: date) -> date:
    return add_years(ends_on, section.limits.after_course_years)


def plan_breaches(section: SupportSection, *, starts_on: date, ends_on: date) -> list[Breach]:
    days = (ends_on - starts_on).days + 1
    limit = section.limits.course_max_days
    if days <= limit:
        return []
    return [
        Breach(
            COURSE_DAYS,
            _("The course lasts %(days)s days, more than the limit of %(limit)s days (%(basis)s).")
            % {"days": days, "limit": limit, "basis": basis(section, COURSE_DAYS)},
        )
    ]


def is_after_course(section: SupportSection, item: Delivered, ends_on: date) -> bool:
    return section.service(item.service).category == "course" and item.delivered_on > ends_on


def delivery_breaches(
    section: SupportSection,
    *,
    starts_on: date,
    ends_on: date,
    existing: Iterable[Delivered],
    new: Delivered,
) -> list[Breach]:
    """The limits the new service exceeds, given the plan and the services logged so far."""
    existing = list(existing)
    service = section.service(new.service)
    limits = section.limits
    if service.category == "criminal_proceedings":
        hours = (
            sum(
                (
                    d.hours
                    for d in existing
                    if section.service(d.service).category == "criminal_proceedings"
                    and d.delivered_on.year == new.delivered_on.year
                ),
                Decimal(0),
            )
            + new.hours
        )
        if hours > limits.criminal_proceedings_hours_per_year:
            return [
                Breach(
                    CRIMINAL_PROCEEDINGS_HOURS,
                    _(
                        "Support in criminal proceedings in %(year)s would reach %(hours)s "
                        "hours, more than %(limit)s hours a year (%(basis)s)."
                    )
                    % {
                        "year": new.delivered_on.year,
                        "hours": formats.number(hours.normalize()),
                        "limit": formats.number(limits.criminal_proceedings_hours_per_year),
                        "basis": basis(section, CRIMINAL_PROCEEDINGS_HOURS),
                    },
                )
            ]
        return []
    if new.delivered_on <= ends_on:
        last = course_last_day(section, starts_on)
        if new.delivered_on > last:
            return [
                Breach(
                    COURSE_DAYS,
                    _(
                        "The service falls after day %(limit)s of the course (%(last)s), "
                        "beyond the limit of %(limit)s days (%(basis)s)."
                    )
                    % {
                        "limit": limits.course_max_days,
                        "last": formats.day(last),
                        "basis": basis(section, COURSE_DAYS),
                    },
                )
            ]
        return []
    return _after_course_breaches(section, ends_on=ends_on, existing=existing, new=new)


def _after_course_breaches(
    section: SupportSection, *, ends_on: date, existing: list[Delivered], new: Delivered
) -> list[Breach]:
    limits = section.limits
    after_basis = basis(section, AFTER_COURSE_COUNT)
    if not section.service(new.service).after_course:
        return [
            Breach(
                OUTSIDE_COURSE,
                _(
                    "The course ended on %(end)s; after it only the free consultations may "
                    "be given (%(basis)s)."
                )
                % {"end": formats.day(ends_on), "basis": basis(section, OUTSIDE_COURSE)},
            )
        ]
    breaches: list[Breach] = []
    used = sum(1 for d in existing if is_after_course(section, d, ends_on)) + 1
    if used > limits.after_course_consultations:
        breaches.append(
            Breach(
                AFTER_COURSE_COUNT,
                _(
                    "This would be consultation %(used)s after the course; %(limit)s are "
                    "free (%(basis)s)."
                )
                % {
                    "used": used,
                    "limit": limits.after_course_consultations,
                    "basis": after_basis,
                },
            )
        )
    until = after_course_until(section, ends_on)
    if new.delivered_on > until:
        breaches.append(
            Breach(
                AFTER_COURSE_WINDOW,
                _(
                    "The free consultations are given within %(years)s years after the "
                    "course, until %(until)s (%(basis)s)."
                )
                % {
                    "years": limits.after_course_years,
                    "until": formats.day(until),
                    "basis": after_basis,
                },
            )
        )
    if new.hours > Decimal(str(limits.consultation_hours)):
        breaches.append(
            Breach(
                AFTER_COURSE_HOURS,
                _("A free consultation lasts %(limit)s hour(s) (%(basis)s).")
                % {"limit": formats.number(limits.consultation_hours), "basis": after_basis},
            )
        )
    if any(section.service(d.service).category == "criminal_proceedings" for d in existing):
        breaches.append(
            Breach(
                AFTER_COURSE_EXCLUDED,
                _(
                    "The free consultations are for persons who do not receive support in "
                    "criminal proceedings (%(basis)s)."
                )
                % {"basis": after_basis},
            )
        )
    return breaches
