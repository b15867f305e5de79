"""The `returns` section of a country profile (thb/profiles/<country>/returns.yaml).

The return home of a victim identified abroad: the steps of a return plan, which
institution kinds may answer for each, the step that completes the return (the day
the statistics count it), the referral channels through which a case identified
abroad reaches a provider, and the provider's cost category its costs are charged to
(a code of `support.other_cost_categories`).
"""

from __future__ import annotations

from pydantic import Field, model_validator

from thb.profiles.schema_base import CodeItem, CodeStr, Label, Strict


class ReturnStepKind(CodeItem):
    """One step of a return plan. `responsible_kinds`: the institution kinds that may
    answer for it (the consular service for documents, the provider for reception);
    `completes_return`: the step whose day done is the day of the return."""

    description: Label | None = None
    responsible_kinds: list[CodeStr] = Field(min_length=1)
    completes_return: bool = False


class ReturnsSection(Strict):
    step_kinds: list[ReturnStepKind] = Field(min_length=1)
    # Referral channels (victims.yaml referral_channels) of a case identified abroad.
    abroad_channels: list[CodeStr] = Field(min_length=1)
    # The provider's cost category (support.other_cost_categories) of return costs.
    cost_category: CodeStr

    @model_validator(mode="after")
    def _one_completing_step(self) -> ReturnsSection:
        codes = [kind.code for kind in self.step_kinds]
        if len(set(codes)) != len(codes):
            raise ValueError("step_kinds: a code appears twice")
        completing = [kind.code for kind in self.step_kinds if kind.completes_return]
        if len(completing) != 1:
            raise ValueError("step_kinds: exactly one step kind completes the return")
        return self

    def step_kind(self, code: str) -> ReturnStepKind:
        for kind in self.step_kinds:
            if kind.code == code:
                return kind
        raise KeyError(code)

    @property
    def completing_kind(self) -> str:
        return next(kind.code for kind in self.step_kinds if kind.completes_return)
