"""The referral measures of the figure catalogue (profiles/<cc>/figures-victims.yaml,
the `referrals.*` ids). Each answers every figure the catalogue gives it, for
every year asked, in ONE aggregate query grouped by year (one conditional count per
figure).

referrals.anonymous counts anonymous notifications by their date: presumed victims
(adults who did not consent to a referral) who did not enter the mechanism.
  group   men | women | sex_other_or_unknown (every notification is of an adult)
  kind    the notifying institution's kind (profile referral.referring_kinds)

referrals.referrals counts referrals by the day they were sent.
  outcome          accepted | declined | open (not answered yet)
  acknowledgement  in_time | late (after the urgency level's deadline) | none (not yet)
  kind             the referring institution's kind

The app declares no record years: referrals and notifications alone do not make a
year a report year (the statistics pages still show them for any year asked for).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from thb.core.aggregates import aggregate_years
from thb.core.registry import Number, register_measure, register_report_records
from thb.profiles import get_profile
from thb.profiles.sections.figures import FigureDef, FilterValue
from thb.referrals.models import OPEN_STATUSES, AnonymousNotification, Referral, ReferralStatus
from thb.victims.models import Sex

GROUPS = {
    "men": Q(sex=Sex.MALE),
    "women": Q(sex=Sex.FEMALE),
    "sex_other_or_unknown": Q(sex__in=[Sex.OTHER, Sex.UNKNOWN]),
}
OUTCOMES = {
    "accepted": Q(status=ReferralStatus.ACCEPTED),
    "declined": Q(status=ReferralStatus.DECLINED),
    "open": Q(status__in=OPEN_STATUSES),
}
ACKNOWLEDGEMENTS = {
    "in_time": Q(acknowledged_on__isnull=False, acknowledged_on__lte=F("acknowledge_by")),
    "late": Q(acknowledged_on__isnull=False, acknowledged_on__gt=F("acknowledge_by")),
    "none": Q(acknowledged_on__isnull=True),
}
ANONYMOUS_FILTERS = {
    "group": _("group: men, women, or other or unknown sex (all adults)"),
    "kind": _("kind of the notifying institution"),
}
REFERRAL_FILTERS = {
    "outcome": _("outcome: accepted, declined, or not answered yet"),
    "acknowledgement": _("acknowledged in time, late, or not yet"),
    "kind": _("kind of the referring institution"),
}


def _codes(value: FilterValue | None) -> list[str]:
    if value is None:
        return []
    return [str(item) for item in value] if isinstance(value, list) else [str(value)]


def _one_of(table: Mapping[str, Q], value: FilterValue | None) -> Q:
    either = Q()
    for code in _codes(value):
        either |= table[code]
    return either


def _kind(field: str, value: FilterValue | None) -> Q:
    codes = _codes(value)
    return Q(**{f"{field}__in": codes}) if codes else Q()


Years = Sequence[int]
YearsValues = dict[int, dict[str, Number]]


def _count(queryset: Any, field: str, years: Years, conditions: list[tuple[str, Q]]) -> YearsValues:
    """One query for the years: each figure's conditional count, grouped by the year
    of the date `field`."""
    found = aggregate_years(
        queryset, field, years, {figure_id: Count("pk", filter=q) for figure_id, q in conditions}
    )
    return {
        year: {figure_id: int(value or 0) for figure_id, value in values.items()}
        for year, values in found.items()
    }


def _anonymous(years: Years, figures: Sequence[FigureDef]) -> YearsValues:
    conditions = [
        (
            figure.id,
            _one_of(GROUPS, figure.filter("group"))
            & _kind("institution__kind", figure.filter("kind")),
        )
        for figure in figures
    ]
    return _count(AnonymousNotification.objects.all(), "notified_on", years, conditions)


def _referrals(years: Years, figures: Sequence[FigureDef]) -> YearsValues:
    conditions = [
        (
            figure.id,
            _one_of(OUTCOMES, figure.filter("outcome"))
            & _one_of(ACKNOWLEDGEMENTS, figure.filter("acknowledgement"))
            & _kind("referring_institution__kind", figure.filter("kind")),
        )
        for figure in figures
    ]
    return _count(Referral.objects.all(), "sent_on", years, conditions)


def _each_year(
    compute: Callable[[Years, Sequence[FigureDef]], YearsValues],
) -> Callable[[int, Sequence[FigureDef]], Mapping[str, Number]]:
    def one(year: int, figures: Sequence[FigureDef]) -> Mapping[str, Number]:
        return compute([year], figures)[year]

    return one


def _require(name: str, value: FilterValue | None, allowed: Any) -> None:
    for code in _codes(value):
        if code not in allowed:
            raise ValueError(f"filter {name}: {code!r} is not one of the allowed codes")


def _check_anonymous(figure: FigureDef) -> None:
    _require("group", figure.filter("group"), GROUPS)
    _require("kind", figure.filter("kind"), get_profile().referral.codes("referring_kinds"))


def _check_referrals(figure: FigureDef) -> None:
    _require("outcome", figure.filter("outcome"), OUTCOMES)
    _require("acknowledgement", figure.filter("acknowledgement"), ACKNOWLEDGEMENTS)
    _require("kind", figure.filter("kind"), get_profile().referral.codes("referring_kinds"))


def register() -> None:
    register_measure(
        "referrals.anonymous",
        records=_(
            "anonymous notifications of presumed victims who did not consent to a "
            "referral, by the notification's date"
        ),
        compute=_each_year(_anonymous),
        compute_years=_anonymous,
        filters=ANONYMOUS_FILTERS,
        check=_check_anonymous,
    )
    register_measure(
        "referrals.referrals",
        records=_("referrals of presumed victims to service providers, by the day sent"),
        compute=_each_year(_referrals),
        compute_years=_referrals,
        filters=REFERRAL_FILTERS,
        check=_check_referrals,
    )
    # The models these measures count: their writes put the stored figures out of date.
    register_report_records(Referral, AnonymousNotification)
