"""The combination rule of the ILO/EC operational indicators, as the country profile
gives it (thb/profiles/<country>/screening.yaml): which dimensions the ticked
indicators make positive, and whether they suffice to presume trafficking.

Pure: no database, no request. The result explains itself line by line in the user's
language ("deceptive recruitment: positive (1 strong + 1 medium)"), never as a bare
score. It supports the people who decide (the commission, a process director); it
decides nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from thb.core.languages import current_language
from thb.profiles import get_profile
from thb.profiles.schema_base import Label
from thb.profiles.sections.screening import STRENGTHS, IndicatorList, ScreeningSection, Version


@dataclass(frozen=True)
class DimensionResult:
    code: str
    label: Label
    positive: bool
    strong: int
    medium: int
    weak: int
    # The ticked indicators of this dimension (`<dimension>.<indicator>` codes).
    indicators: tuple[str, ...]

    @property
    def count(self) -> int:
        return self.strong + self.medium + self.weak


@dataclass(frozen=True)
class ScreeningResult:
    list_key: str
    version: str
    list_label: Label
    purpose: Label
    status: str  # verified | secondary | provisional (the list's, from the profile)
    dimensions: tuple[DimensionResult, ...]
    sufficient: bool
    # The groups of the rule no positive dimension meets (each: dimension codes).
    missing: tuple[tuple[str, ...], ...]
    # When not sufficient: the profile's lower outcome that applies, if any.
    outcome: str
    outcome_label: Label | None
    sufficient_text: Label
    not_sufficient_text: Label

    def dimension(self, code: str) -> DimensionResult:
        for dimension in self.dimensions:
            if dimension.code == code:
                return dimension
        raise KeyError(code)

    # The explanation, in the given language (the active one by default).

    def dimension_line(self, dimension: DimensionResult, language: str | None = None) -> str:
        language = language or current_language()
        with translation.override(language):
            state = _("positive") if dimension.positive else _("not shown")
            return f"{dimension.label.get(language)}: {state} ({_counts(dimension)})"

    def conclusion_line(self, language: str | None = None) -> str:
        language = language or current_language()
        purpose = self.purpose.get(language)
        if self.sufficient:
            return self.sufficient_text.get(language).replace("{purpose}", purpose)
        text = self.not_sufficient_text.get(language).replace("{purpose}", purpose)
        with translation.override(language):
            labels = {d.code: d.label.get(language) for d in self.dimensions}
            groups = [f" {_('or')} ".join(labels[code] for code in group) for group in self.missing]
            text += f"; {_('not shown')}: " + "; ".join(groups)
        if self.outcome_label is not None:
            text += f" ({self.outcome_label.get(language)})"
        return text

    def lines(self, language: str | None = None) -> list[str]:
        """One line per dimension, then the conclusion."""
        out = [self.dimension_line(d, language) for d in self.dimensions]
        return [*out, self.conclusion_line(language)]

    def explanation(self, language: str | None = None) -> str:
        """The whole result on one line: dimensions, then → the conclusion."""
        *dimensions, conclusion = self.lines(language)
        return "; ".join(dimensions) + " → " + conclusion


def _counts(dimension: DimensionResult) -> str:
    parts = []
    if dimension.strong:
        parts.append(ngettext("%(n)d strong", "%(n)d strong", dimension.strong))
        parts[-1] %= {"n": dimension.strong}
    if dimension.medium:
        parts.append(ngettext("%(n)d medium", "%(n)d medium", dimension.medium))
        parts[-1] %= {"n": dimension.medium}
    if dimension.weak:
        parts.append(ngettext("%(n)d weak", "%(n)d weak", dimension.weak))
        parts[-1] %= {"n": dimension.weak}
    return " + ".join(parts) if parts else _("no indicator ticked")


def section() -> ScreeningSection:
    return get_profile().screening


def current_version() -> Version:
    """The version in force today: the one a new screening is recorded with."""
    from django.utils import timezone

    return section().version_on(timezone.localdate())


def get_version(version: str | None = None) -> Version:
    if version is None:
        return current_version()
    try:
        return section().version(version)
    except KeyError:
        raise ValidationError(
            {"version": _("Unknown screening version “%(value)s”.") % {"value": version}},
            code="unknown_version",
        ) from None


def get_list(list_key: str, version: str | None = None) -> IndicatorList:
    try:
        return get_version(version).get_list(list_key)
    except KeyError:
        raise ValidationError(
            {"list_key": _("Unknown screening list “%(value)s”.") % {"value": list_key}},
            code="unknown_list",
        ) from None


def evaluate(
    list_key: str, indicator_codes: Iterable[str], version: str | None = None
) -> ScreeningResult:
    """Apply the version's rule (the one in force today by default) to the ticked
    indicators of one list. Raises ValidationError naming an unknown list, version or
    indicator code. A code ticked twice counts once."""
    the_version = get_version(version)
    indicator_list = get_list(list_key, the_version.version)
    strengths = indicator_list.strength_of()
    ticked: list[str] = []
    for code in indicator_codes:
        if code not in strengths:
            raise ValidationError(
                {
                    "indicators": _("Unknown indicator “%(code)s” in the list %(list)s.")
                    % {"code": code, "list": list_key}
                },
                code="unknown_indicator",
            )
        if code not in ticked:
            ticked.append(code)
    dimensions = []
    for dimension in section().dimensions:
        mine = tuple(c for c in ticked if c.split(".", 1)[0] == dimension.code)
        counts = {s: sum(1 for c in mine if strengths[c] == s) for s in STRENGTHS}
        is_positive = any(
            threshold.met(counts["strong"], counts["medium"], counts["weak"])
            for threshold in the_version.dimension_positive_if_any_of
        )
        dimensions.append(
            DimensionResult(
                code=dimension.code,
                label=dimension.label,
                positive=is_positive,
                strong=counts["strong"],
                medium=counts["medium"],
                weak=counts["weak"],
                indicators=mine,
            )
        )
    positive = {d.code for d in dimensions if d.positive}
    rule = the_version.rules[indicator_list.rule]
    missing = tuple(tuple(group) for group in rule.requires if not positive.intersection(group))
    outcome = None
    if missing:
        outcome = next(
            (
                lower
                for lower in rule.lower_outcomes
                if all(positive.intersection(group) for group in lower.requires)
            ),
            None,
        )
    return ScreeningResult(
        list_key=indicator_list.key,
        version=the_version.version,
        list_label=indicator_list.label,
        purpose=indicator_list.purpose,
        status=indicator_list.status,
        dimensions=tuple(dimensions),
        sufficient=not missing,
        missing=missing,
        outcome=outcome.code if outcome else "",
        outcome_label=outcome.label if outcome else None,
        sufficient_text=the_version.conclusion.sufficient,
        not_sufficient_text=the_version.conclusion.not_sufficient,
    )
