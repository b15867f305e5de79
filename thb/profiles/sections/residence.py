"""The `residence` section of a country profile (thb/profiles/<country>/residence.yaml).

The law on the residence of foreign victims: every number of it (days, working days,
months) with the provision it comes from, and the deadlines the system tracks.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from thb.profiles.schema_base import CodeStr, Label, Strict


class LegalBasis(Strict):
    """A provision: the law (a code of `laws`) and the section as cited in each
    language. `checked` says whether the citation was compared with the published
    text of the law (the pages show unchecked ones as such)."""

    law: CodeStr
    section: Label
    checked: bool = False


class Law(Strict):
    code: CodeStr
    label: Label
    url: str = ""


class Rule(Strict):
    """One number of the law and where it is written."""

    value: int = Field(ge=1)
    unit: Literal["days", "working_days", "months"]
    basis: LegalBasis


class ResidenceRules(Strict):
    # The victim may apply for a reflection period within this many days after
    # victim status was granted.
    application_days: Rule
    # The reflection period lasts this many days, the day of the decision being the first.
    reflection_period_days: Rule
    # The process director evaluates further stay within this many working days,
    # during the period or from the next working day after it ends.
    evaluation_working_days: Rule
    # A temporary residence permit is requested and issued for at least this long.
    permit_min_months: Rule


class ResidenceSection(Strict):
    laws: list[Law] = Field(min_length=1)
    # The law does not apply to citizens of these states (normally the EU: see
    # country.eu_member_states); the profile names the provision.
    out_of_scope_basis: LegalBasis
    # Provisions of the steps that have no number (cited on the pages).
    information_basis: LegalBasis
    permit_request_basis: LegalBasis
    extension_basis: LegalBasis
    right_to_work_basis: LegalBasis
    rules: ResidenceRules
    # Whether the permit issued to a victim gives the right to work without restriction.
    permit_gives_right_to_work: bool
    # Deadlines due within this many days are listed as "due soon" and e-mailed.
    due_soon_days: int = Field(ge=1, le=60)
    # `thb deadlines notify` opens the application deadline for cases whose victim
    # status was granted at most this many days ago (older ones are history).
    open_deadlines_look_back_days: int = Field(ge=1, le=365)

    @model_validator(mode="after")
    def _check_laws(self) -> ResidenceSection:
        codes = {law.code for law in self.laws}
        bases = [
            ("out_of_scope_basis", self.out_of_scope_basis),
            ("information_basis", self.information_basis),
            ("permit_request_basis", self.permit_request_basis),
            ("extension_basis", self.extension_basis),
            ("right_to_work_basis", self.right_to_work_basis),
        ]
        bases += [
            (f"rules.{name}.basis", getattr(self.rules, name).basis)
            for name in type(self.rules).model_fields
        ]
        for name, basis in bases:
            if basis.law not in codes:
                raise ValueError(f"{name}: law {basis.law!r} is not in residence.laws")
        expected = {
            "application_days": "days",
            "reflection_period_days": "days",
            "evaluation_working_days": "working_days",
            "permit_min_months": "months",
        }
        for name, unit in expected.items():
            if getattr(self.rules, name).unit != unit:
                raise ValueError(f"rules.{name}.unit must be {unit!r}")
        return self

    def law(self, code: str) -> Law:
        for law in self.laws:
            if law.code == code:
                return law
        raise KeyError(code)

    def cite(self, basis: LegalBasis, language: str = "") -> str:
        """'Law "…", Section 4(1)' in the language of the page."""
        return f"{self.law(basis.law).label.get(language)}, {basis.section.get(language)}"
