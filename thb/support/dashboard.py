"""Support on the home page: a caseworker's rehabilitation plans beyond or near the
limits of the country profile, linking to the plans and the services logged beyond
a limit."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from thb.accounts.models import User
from thb.core.charts import Bar, BarChart, Section
from thb.profiles import get_profile
from thb.support import policy
from thb.support.selectors import NEAR_LIMITS, NEAR_SHARE, plans_near_limits


def _labels() -> dict[str, str]:
    limits = get_profile().support.limits
    share = int(NEAR_SHARE * 100)
    return {
        "beyond_limit": _("Beyond a limit (with the reason recorded)"),
        "course_ending": _("Course in its last days of the %(days)s allowed")
        % {"days": limits.course_max_days},
        "after_course": _("%(share)s %% of the %(count)s after-course consultations used")
        % {"share": share, "count": limits.after_course_consultations},
        "criminal_hours": _(
            "%(share)s %% of the %(hours)s hours a year of support in criminal proceedings used"
        )
        % {"share": share, "hours": limits.criminal_proceedings_hours_per_year},
    }


def sections(*, actor: User, today: date) -> list[Section]:
    if not policy.can_see_plans(actor):
        return []
    counts = plans_near_limits(actor=actor, today=today)
    labels = _labels()
    url = reverse("support:index")
    bars = [Bar(labels[name], counts.get(name, 0), url=url) for name in NEAR_LIMITS]
    return [
        Section(
            key="plans",
            title=_("Rehabilitation plans near their limits"),
            charts=[
                BarChart(
                    "plans-near-limits",
                    _("Plans by limit"),
                    _("Plans"),
                    bars,
                    label_header=_("Limit"),
                )
            ],
            links=[(url, _("Rehabilitation plans and services beyond a limit"))],
        )
    ]
