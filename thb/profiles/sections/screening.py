"""The `screening` section of a country profile (thb/profiles/<country>/screening.yaml).

The ILO / European Commission operational indicators of trafficking: the six
dimensions of the Delphi method, a catalogue of indicator labels, and versions of the
four lists (adults and children x labour and sexual exploitation) with the rule that
combines them. A version is never changed once screenings use it: the commission
amends the lists by adding a version with a later `valid_from` (docs/screening.md).
The evaluator is thb/screening/evaluate.py.
"""

from __future__ import annotations

import datetime
from typing import Literal

from pydantic import Field, model_validator

from thb.profiles.schema_base import CodeStr, Label, Strict

STRENGTHS = ("strong", "medium", "weak")
Strength = Literal["strong", "medium", "weak"]
ListStatus = Literal["verified", "secondary", "provisional"]


class StrengthLabels(Strict):
    strong: Label
    medium: Label
    weak: Label


class Dimension(Strict):
    code: CodeStr
    label: Label
    hint: Label | None = None


class IndicatorLabel(Strict):
    label: Label
    hint: Label | None = None


class Threshold(Strict):
    """At least this many ticked indicators of each strength; `medium_or_weak` counts
    the medium and weak ones left over after `medium` and `weak` are taken."""

    strong: int = Field(default=0, ge=0)
    medium: int = Field(default=0, ge=0)
    weak: int = Field(default=0, ge=0)
    medium_or_weak: int = Field(default=0, ge=0)

    @model_validator(mode="after")
    def _not_empty(self) -> Threshold:
        if self.strong + self.medium + self.weak + self.medium_or_weak == 0:
            raise ValueError("a threshold needs at least one indicator")
        return self

    def met(self, strong: int, medium: int, weak: int) -> bool:
        if strong < self.strong or medium < self.medium or weak < self.weak:
            return False
        return (medium - self.medium) + (weak - self.weak) >= self.medium_or_weak


# Each inner list is a group: met when at least one of its dimensions is positive.
Requirement = list[list[CodeStr]]


class LowerOutcome(Strict):
    code: CodeStr
    requires: Requirement = Field(min_length=1)
    label: Label


class Rule(Strict):
    requires: Requirement = Field(min_length=1)
    lower_outcomes: list[LowerOutcome] = Field(default_factory=list)


class Conclusion(Strict):
    """The last line of an explained result; `{purpose}` is the list's purpose."""

    sufficient: Label
    not_sufficient: Label

    @model_validator(mode="after")
    def _placeholders(self) -> Conclusion:
        for name in ("sufficient", "not_sufficient"):
            label: Label = getattr(self, name)
            for language, text in label.root.items():
                if "{purpose}" not in text:
                    raise ValueError(f"conclusion.{name}.{language} must contain {{purpose}}")
        return self


class DimensionIndicators(Strict):
    strong: list[CodeStr] = Field(default_factory=list)
    medium: list[CodeStr] = Field(default_factory=list)
    weak: list[CodeStr] = Field(default_factory=list)


class IndicatorList(Strict):
    key: CodeStr
    label: Label
    purpose: Label
    rule: CodeStr
    # verified: compared with the publication's table; secondary: taken from a
    # secondary source; provisional: not found, adapted (the header says how).
    status: ListStatus
    source: str = Field(min_length=1)
    dimensions: dict[CodeStr, DimensionIndicators]

    def strength_of(self) -> dict[str, Strength]:
        """`<dimension>.<indicator>` -> strength."""
        out: dict[str, Strength] = {}
        for dimension, groups in self.dimensions.items():
            for strength in STRENGTHS:
                for code in getattr(groups, strength):
                    out[f"{dimension}.{code}"] = strength  # type: ignore[assignment]
        return out


class Version(Strict):
    version: CodeStr
    valid_from: datetime.date
    note: Label
    dimension_positive_if_any_of: list[Threshold] = Field(min_length=1)
    rules: dict[CodeStr, Rule] = Field(min_length=1)
    conclusion: Conclusion
    lists: list[IndicatorList] = Field(min_length=1)

    def get_list(self, key: str) -> IndicatorList:
        for item in self.lists:
            if item.key == key:
                return item
        raise KeyError(key)


class ScreeningSection(Strict):
    strengths: StrengthLabels
    dimensions: list[Dimension] = Field(min_length=1)
    indicators: dict[CodeStr, IndicatorLabel] = Field(min_length=1)
    versions: list[Version] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> ScreeningSection:
        dimensions = [d.code for d in self.dimensions]
        if len(set(dimensions)) != len(dimensions):
            raise ValueError("screening.dimensions: a dimension code appears twice")
        seen_versions: set[str] = set()
        previous: datetime.date | None = None
        for version in self.versions:
            where = f"screening.versions[{version.version}]"
            if version.version in seen_versions:
                raise ValueError(f"{where}: the version id appears twice")
            seen_versions.add(version.version)
            if previous is not None and version.valid_from <= previous:
                raise ValueError(f"{where}: valid_from must be later than the previous version's")
            previous = version.valid_from
            self._check_version(version, where, set(dimensions))
        return self

    def _check_version(self, version: Version, where: str, dimensions: set[str]) -> None:
        for rule_code, rule in version.rules.items():
            requirements = list(rule.requires)
            for outcome in rule.lower_outcomes:
                requirements.extend(outcome.requires)
            for group in requirements:
                if not group:
                    raise ValueError(f"{where}.rules.{rule_code}: a group of `requires` is empty")
                for code in group:
                    if code not in dimensions:
                        raise ValueError(
                            f"{where}.rules.{rule_code}: {code!r} is not a screening dimension"
                        )
        keys: set[str] = set()
        for item in version.lists:
            at = f"{where}.lists[{item.key}]"
            if item.key in keys:
                raise ValueError(f"{at}: the list key appears twice")
            keys.add(item.key)
            if item.rule not in version.rules:
                raise ValueError(f"{at}: rule {item.rule!r} is not in the version's rules")
            if set(item.dimensions) != dimensions:
                missing = sorted(dimensions - set(item.dimensions))
                extra = sorted(set(item.dimensions) - dimensions)
                raise ValueError(
                    f"{at}: the dimensions must be exactly the screening dimensions "
                    f"(missing {missing}, unknown {extra})"
                )
            for dimension, groups in item.dimensions.items():
                codes = [c for s in STRENGTHS for c in getattr(groups, s)]
                if not codes:
                    raise ValueError(f"{at}.{dimension}: the dimension has no indicator")
                for code in codes:
                    if code not in self.indicators:
                        raise ValueError(
                            f"{at}.{dimension}: indicator {code!r} has no label in "
                            "screening.indicators"
                        )
                    if codes.count(code) > 1:
                        raise ValueError(f"{at}.{dimension}: indicator {code!r} is listed twice")

    # Look-ups.

    def version(self, version_id: str) -> Version:
        for version in self.versions:
            if version.version == version_id:
                return version
        raise KeyError(version_id)

    def version_on(self, day: datetime.date) -> Version:
        """The version in force on the day: the newest with valid_from on or before it
        (the first version for days before any)."""
        current = self.versions[0]
        for version in self.versions:
            if version.valid_from <= day:
                current = version
        return current

    def dimension(self, code: str) -> Dimension:
        for dimension in self.dimensions:
            if dimension.code == code:
                return dimension
        raise KeyError(code)
