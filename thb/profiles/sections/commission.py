"""The `commission` section of a country profile (thb/profiles/<country>/commission.yaml).

The specialist commission that decides whether a person is recognised as a victim of
trafficking on a service provider's request: which providers convene one (their own
commission members sit on it), which institutions send a representative to every
provider's commission, the quorum of a meeting, and how soon a case put before the
commission must be considered. Institutions are named by their codes in
institutions.yaml (checked when the profile loads).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from thb.profiles.schema_base import Label, Strict
from thb.profiles.sections.institutions import InstitutionCode


class Quorum(Strict):
    """A meeting may decide when at least `min_present` members attend, the chair among
    them where `chair_required`, and a representative of each `required_institutions`."""

    min_present: int = Field(ge=1, le=50)
    chair_required: bool = True
    required_institutions: list[InstitutionCode] = Field(default_factory=list)


class ConsiderWithin(Strict):
    """The time a submitted case waits at most for the commission: `value` calendar
    days or working days (the country's public holidays) after the submission."""

    value: int = Field(ge=1, le=365)
    unit: Literal["days", "working_days"]


class CommissionSection(Strict):
    label: Label
    legal_basis: Label
    convening_institutions: list[InstitutionCode] = Field(min_length=1)
    member_institutions: list[InstitutionCode] = Field(default_factory=list)
    quorum: Quorum
    consider_within: ConsiderWithin

    @model_validator(mode="after")
    def _check(self) -> CommissionSection:
        for name in ("convening_institutions", "member_institutions"):
            codes = getattr(self, name)
            if len(set(codes)) != len(codes):
                raise ValueError(f"commission.{name}: an institution appears twice")
        both = set(self.convening_institutions) & set(self.member_institutions)
        if both:
            raise ValueError(
                f"commission: {sorted(both)[0]!r} is both a convening and a member institution"
            )
        seated = set(self.member_institutions)
        for code in self.quorum.required_institutions:
            if code not in seated:
                raise ValueError(
                    f"commission.quorum.required_institutions: {code!r} is not a member institution"
                )
        return self

    def institution_codes(self) -> list[str]:
        return [*self.convening_institutions, *self.member_institutions]
