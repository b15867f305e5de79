"""The `linkage` section of a country profile (thb/profiles/<country>/linkage.yaml):
the record-linkage threshold and prior, and the spelling rewrites that fold the
country's, the Russian and the English spellings of a name into one form
(thb/linkage/keys.py; docs/linkage.md)."""

from __future__ import annotations

import re

from pydantic import Field, field_validator

from thb.profiles.schema_base import Strict


class NameRewrite(Strict):
    """A regular expression over one lower-case ASCII name token and its replacement,
    applied in the listed order."""

    pattern: str = Field(min_length=1)
    replace: str

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a regular expression: {exc}") from None
        return value


class LinkageSection(Strict):
    # A pair whose match probability reaches this goes to the review queue.
    threshold: float = Field(gt=0, lt=1)
    # The share of persons expected to be recorded by a second institution (the prior).
    expected_duplicate_share: float = Field(gt=0, lt=1)
    name_rewrites: list[NameRewrite]
