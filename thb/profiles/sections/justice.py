"""The `justice` section of a country profile (thb/profiles/<country>/justice.yaml):
who enters criminal proceedings, which sections the report tabulates, the kinds of
property that can be arrested and the limits of sentences."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from thb.profiles.schema_base import CodeItem, CodeStr, Strict

SectionCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.]+$")]


class JusticeSection(Strict):
    # Institution kinds (thb.accounts InstitutionKind values) whose reporters may enter
    # criminal proceedings; process directors may do so at any institution.
    reporter_institution_kinds: list[CodeStr] = Field(min_length=1)
    # The criminal-proceeding number: a regular expression the whole number must match.
    proceeding_number_pattern: str = Field(min_length=1)
    # The sections of the report's related-offences table, in its row order.
    related_offences_table: list[SectionCode] = Field(min_length=1)
    property_kinds: list[CodeItem] = Field(min_length=1)
    # Longest fixed-term deprivation of liberty and probation supervision, in months.
    deprivation_of_liberty_max_months: int = Field(ge=1, le=600)
    probation_supervision_max_months: int = Field(ge=1, le=120)

    @model_validator(mode="after")
    def _check(self) -> JusticeSection:
        import re

        try:
            re.compile(self.proceeding_number_pattern)
        except re.error as exc:
            raise ValueError(
                f"proceeding_number_pattern is not a regular expression: {exc}"
            ) from None
        codes = [item.code for item in self.property_kinds]
        if len(set(codes)) != len(codes):
            raise ValueError("property_kinds: a code appears twice")
        return self
