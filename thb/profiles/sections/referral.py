"""The `referral` section of a country profile (thb/profiles/<country>/referral.yaml).

Who refers presumed victims to whom: the institution kinds that detect and refer
(each with the victim register's referral channel its referrals count under), the
kinds that receive referrals (service providers), the acknowledgement deadline of each
urgency level, and the code lists of the referral form (consent, decline reasons,
contact arrangements, languages).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from thb.profiles.schema_base import CodeItem, CodeStr, Label, Strict


class ReferringKind(Strict):
    """An institution kind (thb.accounts InstitutionKind code) whose users refer, and
    the referral channel (`referral_channels` code) of the cases its referrals become."""

    code: CodeStr
    label: Label
    channel: CodeStr


class Deadline(Strict):
    """A time limit: `value` calendar days or working days (the country's public
    holidays) after the day the referral was sent; 0 days means the same day."""

    value: int = Field(ge=0, le=60)
    unit: Literal["days", "working_days"]

    @model_validator(mode="after")
    def _check(self) -> Deadline:
        if self.unit == "working_days" and self.value < 1:
            raise ValueError("a deadline in working days counts at least 1")
        return self


class Urgency(CodeItem):
    acknowledge_within: Deadline


class ConsentOption(CodeItem):
    """What the person said. `allows_referral`: the referral may be sent with this
    answer (for an adult); otherwise only an anonymous notification."""

    allows_referral: bool


class DeclineReason(CodeItem):
    # The provider must explain the reason in words (e.g. "other").
    needs_note: bool = False


class ReferralSection(Strict):
    referring_kinds: list[ReferringKind] = Field(min_length=1)
    receiving_kinds: list[CodeStr] = Field(min_length=1)
    urgency_levels: list[Urgency] = Field(min_length=1)
    consent_options: list[ConsentOption] = Field(min_length=1)
    # A minor is referred without their own consent (child protection); an
    # anonymous notification is then never the way for a minor.
    minors_referred_without_consent: bool
    decline_reasons: list[DeclineReason] = Field(min_length=1)
    contact_arrangements: list[CodeItem] = Field(min_length=1)
    languages: list[CodeItem] = Field(min_length=1)

    @model_validator(mode="after")
    def _check_codes(self) -> ReferralSection:
        for name in (
            "referring_kinds",
            "urgency_levels",
            "consent_options",
            "decline_reasons",
            "contact_arrangements",
            "languages",
        ):
            codes = [item.code for item in getattr(self, name)]
            if len(set(codes)) != len(codes):
                raise ValueError(f"{name}: a code appears twice")
        if not any(option.allows_referral for option in self.consent_options):
            raise ValueError("consent_options: at least one must allow the referral")
        if all(option.allows_referral for option in self.consent_options):
            raise ValueError("consent_options: at least one must be a refusal")
        return self

    # Look-ups.

    def codes(self, name: str) -> list[str]:
        return [item.code for item in getattr(self, name)]

    def label(self, name: str, code: str, language: str = "") -> str:
        for item in getattr(self, name):
            if item.code == code:
                return str(item.label.get(language))
        return code

    def choices(self, name: str, language: str = "") -> list[tuple[str, str]]:
        return [(item.code, item.label.get(language)) for item in getattr(self, name)]

    def channel_for(self, institution_kind: str) -> str | None:
        """The referral channel of cases referred by an institution of this kind."""
        for kind in self.referring_kinds:
            if kind.code == institution_kind:
                return kind.channel
        return None

    def urgency(self, code: str) -> Urgency:
        for level in self.urgency_levels:
            if level.code == code:
                return level
        raise KeyError(code)

    def decline_reason(self, code: str) -> DeclineReason:
        for reason in self.decline_reasons:
            if reason.code == code:
                return reason
        raise KeyError(code)

    def consent(self, code: str) -> ConsentOption:
        for option in self.consent_options:
            if option.code == code:
                return option
        raise KeyError(code)
