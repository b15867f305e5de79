"""The shape of a country profile. Each top-level key of the profile's YAML files is one
field of `Profile`; an unknown key, a missing one or a wrong value stops start-up with
a message naming the file, the key and the problem."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from thb.profiles.schema_base import CodeItem, CodeStr, Label, Strict
from thb.profiles.sections.activities import ActivitiesSection
from thb.profiles.sections.justice import JusticeSection
from thb.profiles.sections.limits import LimitsSection, PersonalCodeSection
from thb.profiles.sections.reporting import ReportingSection
from thb.profiles.sections.residence import ResidenceSection
from thb.profiles.sections.support import SupportSection


class ExploitationForm(CodeItem):
    priority: int = Field(ge=1)
    headline: CodeStr | None = None
    has_sectors: bool = False


class LabourSector(CodeItem):
    report_codes: dict[str, CodeStr] = Field(default_factory=dict)


class LegalSection(Strict):
    code: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.]+$")]
    law: CodeStr
    label: Label
    group: CodeStr


class Country(Strict):
    code: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
    name: Label
    coordinator: Label
    eu_member_states: list[Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]]
    age_of_majority: int = Field(ge=1, le=30)


def _unique_codes(section: str, items: list[CodeItem] | list[LegalSection]) -> None:
    seen: set[str] = set()
    for item in items:
        if item.code in seen:
            raise ValueError(f"{section}: code {item.code!r} appears twice")
        seen.add(item.code)


class Profile(Strict):
    country: Country
    exploitation_forms: list[ExploitationForm] = Field(min_length=1)
    labour_sectors: list[LabourSector]
    recruitment_methods: list[CodeItem] = Field(min_length=1)
    education_levels: list[CodeItem] = Field(min_length=1)
    referral_channels: list[CodeItem] = Field(min_length=1)
    regions: list[CodeItem] = Field(min_length=1)
    identification_criteria: list[CodeItem] = Field(min_length=1)
    legal_sections: list[LegalSection] = Field(min_length=1)
    # Sections owned by the domain apps (thb/profiles/sections/<name>.py).
    support: SupportSection
    residence: ResidenceSection
    justice: JusticeSection
    activities: ActivitiesSection
    reporting: ReportingSection
    # Bounds of entered numbers and dates, and the personal code's format (limits.yaml).
    limits: LimitsSection
    personal_code: PersonalCodeSection

    @model_validator(mode="after")
    def _check_references(self) -> Profile:
        for name in (
            "exploitation_forms",
            "labour_sectors",
            "recruitment_methods",
            "education_levels",
            "referral_channels",
            "regions",
            "identification_criteria",
            "legal_sections",
        ):
            _unique_codes(name, getattr(self, name))
        forms = {f.code for f in self.exploitation_forms}
        for form in self.exploitation_forms:
            if form.headline is not None and form.headline not in forms:
                raise ValueError(
                    f"exploitation_forms: {form.code}.headline {form.headline!r} is not a form"
                )
        priorities = [f.priority for f in self.exploitation_forms]
        if len(set(priorities)) != len(priorities):
            raise ValueError("exploitation_forms: two forms share a priority")
        return self

    # Look-ups used across the code base.

    def codes(self, section: str) -> list[str]:
        return [item.code for item in getattr(self, section)]

    def label(self, section: str, code: str, language: str = "lv") -> str:
        for item in getattr(self, section):
            if item.code == code:
                return str(item.label.get(language))
        return code

    def choices(self, section: str, language: str = "lv") -> list[tuple[str, str]]:
        return [(item.code, item.label.get(language)) for item in getattr(self, section)]

    def form(self, code: str) -> ExploitationForm:
        for form in self.exploitation_forms:
            if form.code == code:
                return form
        raise KeyError(code)

    def sector(self, code: str) -> LabourSector:
        for sector in self.labour_sectors:
            if sector.code == code:
                return sector
        raise KeyError(code)

    def legal_section(self, code: str) -> LegalSection:
        for section in self.legal_sections:
            if section.code == code:
                return section
        raise KeyError(code)
