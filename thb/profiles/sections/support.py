"""The `support` section of a country profile (thb/profiles/<country>/support.yaml):
the service basket of social rehabilitation, the specialist roles, the legal limits
of the course and of support in criminal proceedings, and who funds and who pays
state compensation."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from thb.profiles.schema_base import CodeItem, CodeStr, Label, Strict


class SupportService(CodeItem):
    # course: part of the rehabilitation course (counts against the course limit);
    # criminal_proceedings: support in criminal proceedings (its own yearly hour limit).
    category: Literal["course", "criminal_proceedings"]
    # May be given as one of the free consultations after the course.
    after_course: bool = False
    # The specialist role proposed when the service is logged.
    default_specialist: CodeStr


class SupportLimits(Strict):
    course_max_days: int = Field(ge=1, le=3650)
    after_course_consultations: int = Field(ge=0, le=100)
    consultation_hours: float = Field(gt=0, le=24)
    after_course_years: int = Field(ge=0, le=20)
    criminal_proceedings_hours_per_year: int = Field(ge=1, le=8760)


class SupportLegalBasis(Strict):
    """The rule each limit comes from, named in messages and flags."""

    course: Label
    after_course: Label
    criminal_proceedings: Label


class SupportSection(Strict):
    services: list[SupportService] = Field(min_length=1)
    specialist_roles: list[CodeItem] = Field(min_length=1)
    other_cost_categories: list[CodeItem] = Field(min_length=1)
    limits: SupportLimits
    legal_basis: SupportLegalBasis
    # Institution kinds whose reporters record funding contracts (the ministry that
    # funds the service) and state compensation (the legal aid body).
    funder_institution_kind: CodeStr
    compensation_institution_kind: CodeStr

    @model_validator(mode="after")
    def _check_codes(self) -> SupportSection:
        for name in ("services", "specialist_roles", "other_cost_categories"):
            codes = [item.code for item in getattr(self, name)]
            duplicates = sorted({c for c in codes if codes.count(c) > 1})
            if duplicates:
                raise ValueError(f"{name}: code {duplicates[0]!r} appears twice")
        roles = {role.code for role in self.specialist_roles}
        for service in self.services:
            if service.default_specialist not in roles:
                raise ValueError(
                    f"services: {service.code}.default_specialist "
                    f"{service.default_specialist!r} is not a specialist role"
                )
        return self

    def service(self, code: str) -> SupportService:
        for service in self.services:
            if service.code == code:
                return service
        raise KeyError(code)

    def label(self, section: str, code: str, language: str = "") -> str:
        for item in getattr(self, section):
            if item.code == code:
                return str(item.label.get(language))
        return code

    def choices(self, section: str, language: str = "") -> list[tuple[str, str]]:
        return [(item.code, item.label.get(language)) for item in getattr(self, section)]
