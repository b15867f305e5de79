"""The shape of a country profile. Each top-level key of the profile's YAML files is one
field of `Profile`; an unknown key, a missing one or a wrong value stops start-up with
a message naming the file, the key and the problem."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints, ValidationInfo, field_validator, model_validator

from thb.profiles.schema_base import CodeItem, CodeStr, Label, LanguageStr, Strict, labels_in
from thb.profiles.sections.activities import ActivitiesSection
from thb.profiles.sections.commission import CommissionSection
from thb.profiles.sections.figures import FigureDef
from thb.profiles.sections.institutions import (
    InstitutionDef,
    InstitutionKindDef,
    check_institutions,
)
from thb.profiles.sections.interop import InteropSection
from thb.profiles.sections.justice import JusticeSection
from thb.profiles.sections.limits import LimitsSection, PersonalCodeSection
from thb.profiles.sections.linkage import LinkageSection
from thb.profiles.sections.referral import ReferralSection
from thb.profiles.sections.report import ChapterSpec, ReportLayout
from thb.profiles.sections.reporting import ReportingSection
from thb.profiles.sections.residence import ResidenceSection
from thb.profiles.sections.returns import ReturnsSection
from thb.profiles.sections.screening import ScreeningSection
from thb.profiles.sections.support import SupportSection


class ExploitationForm(CodeItem):
    priority: int = Field(ge=1)
    headline: CodeStr | None = None
    has_sectors: bool = False


class LabourSector(CodeItem):
    report_codes: dict[str, CodeStr] = Field(default_factory=dict)


class AgeGroup(CodeItem):
    """An age band of the statistics (age at identification, whole years): from
    min_age to max_age inclusive; max_age None for an open upper band."""

    min_age: int = Field(ge=0, le=130)
    max_age: int | None = Field(default=None, ge=0, le=130)


class Criterion(CodeItem):
    """An identification criterion; `group` says which element of trafficking it shows
    (act, means, purpose, or an indicator of exploitation)."""

    group: CodeStr | None = None


class RetiredCriterion(CodeItem):
    """A criterion of an earlier list, kept so that decisions recorded with it still show
    what was decided: its label and the current criteria it corresponds to."""

    replaced_by: list[CodeStr] = Field(default_factory=list)


class LegalSection(Strict):
    code: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.]+$")]
    law: CodeStr
    label: Label
    group: CodeStr


class RecordCodes(Strict):
    """The prefixes of the codes THB gives its records (thb.core.codes)."""

    person: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,5}$")]
    referral: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,5}$")]
    anonymous_notification: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,5}$")]

    @model_validator(mode="after")
    def _distinct(self) -> RecordCodes:
        prefixes = [self.person, self.referral, self.anonymous_notification]
        if len(set(prefixes)) != len(prefixes):
            raise ValueError("record_codes: each kind of record needs its own prefix")
        return self


class Country(Strict):
    code: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
    name: Label
    coordinator: Label
    eu_member_states: list[Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]]
    age_of_majority: int = Field(ge=1, le=30)
    # The languages of the pages, documents and every label of the profile, the
    # country's own first (the default, and the language of official documents).
    languages: list[LanguageStr] = Field(min_length=1)
    # The IANA time zone in which the country's dates and deadlines are counted.
    time_zone: str = "UTC"
    record_codes: RecordCodes

    @model_validator(mode="after")
    def _check_time_zone(self) -> Country:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"time_zone {self.time_zone!r} is not a known time zone") from None
        return self


def _unique_codes(section: str, items: list[CodeItem] | list[LegalSection]) -> None:
    seen: set[str] = set()
    for item in items:
        if item.code in seen:
            raise ValueError(f"{section}: code {item.code!r} appears twice")
        seen.add(item.code)


def _check_age_groups(groups: list[AgeGroup]) -> None:
    """The bands follow each other without gap or overlap, so every known age falls in
    exactly one (the statistics' age-group rows then add up)."""
    expected = 0
    for number, group in enumerate(groups):
        if group.min_age != expected:
            raise ValueError(f"age_groups: {group.code} should start at {expected}")
        if group.max_age is None:
            if number != len(groups) - 1:
                raise ValueError(f"age_groups: only the last band may be open ({group.code})")
            return
        if group.max_age < group.min_age:
            raise ValueError(f"age_groups: {group.code} ends before it starts")
        expected = group.max_age + 1
    raise ValueError("age_groups: the last band must be open (no max_age)")


class Profile(Strict):
    country: Country
    exploitation_forms: list[ExploitationForm] = Field(min_length=1)
    labour_sectors: list[LabourSector]
    recruitment_methods: list[CodeItem] = Field(min_length=1)
    education_levels: list[CodeItem] = Field(min_length=1)
    referral_channels: list[CodeItem] = Field(min_length=1)
    regions: list[CodeItem] = Field(min_length=1)
    age_groups: list[AgeGroup] = Field(min_length=1)
    identification_criteria: list[Criterion] = Field(min_length=1)
    # Criteria of earlier lists, for decisions recorded with them (read-time mapping).
    retired_identification_criteria: list[RetiredCriterion] = Field(default_factory=list)
    # Vulnerability and modus operandi (the report's trends and risk groups).
    vulnerability_factors: list[CodeItem] = Field(min_length=1)
    recruitment_platforms: list[CodeItem] = Field(min_length=1)
    migration_routes: list[CodeItem] = Field(min_length=1)
    legal_sections: list[LegalSection] = Field(min_length=1)
    # The kinds of institution and the country's institutions (institutions.yaml).
    institution_kinds: list[InstitutionKindDef] = Field(min_length=1)
    institutions: list[InstitutionDef] = Field(min_length=1)

    @field_validator("institutions")
    @classmethod
    def _check_institutions(
        cls, value: list[InstitutionDef], info: ValidationInfo
    ) -> list[InstitutionDef]:
        # A field validator (not the model's), so that the error names institutions.yaml.
        check_institutions(info.data.get("institution_kinds", []), value)
        return value

    # Sections owned by the domain apps (thb/profiles/sections/<name>.py).
    support: SupportSection
    residence: ResidenceSection
    justice: JusticeSection
    activities: ActivitiesSection
    reporting: ReportingSection
    referral: ReferralSection
    screening: ScreeningSection
    commission: CommissionSection
    linkage: LinkageSection
    returns: ReturnsSection
    # The figure catalogue and the report's layout (sections/figures.py, report.py).
    figures: list[FigureDef] = Field(min_length=1)
    report: ReportLayout
    report_chapters: list[ChapterSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _check_languages(self) -> Profile:
        """Every label of the profile in each of its languages, and in no other."""
        languages = set(self.country.languages)
        problems = []
        for where, label in labels_in(self):
            missing = sorted(languages - set(label.root))
            unknown = sorted(set(label.root) - languages)
            if missing:
                problems.append(f"{where}: no text in {', '.join(missing)}")
            if unknown:
                problems.append(f"{where}: {', '.join(unknown)} is not in country.languages")
        if problems:
            shown = "; ".join(problems[:10])
            more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
            raise ValueError(f"labels: {shown}{more}")
        return self

    @model_validator(mode="after")
    def _check_report(self) -> Profile:
        ids = [figure.id for figure in self.figures]
        seen: set[str] = set()
        for figure_id in ids:
            if figure_id in seen:
                raise ValueError(f"figures: {figure_id!r} is declared twice")
            seen.add(figure_id)
        chapters = {chapter.id: chapter for chapter in self.report_chapters}
        if len(chapters) != len(self.report_chapters):
            raise ValueError("report_chapters: a chapter id appears twice")
        for chapter_id in self.report.chapters:
            if chapter_id not in chapters:
                raise ValueError(f"report.chapters: {chapter_id!r} is not in report_chapters")
        for chapter_id in chapters:
            if chapter_id not in self.report.chapters:
                raise ValueError(f"report_chapters: {chapter_id!r} is not in report.chapters")
        sections = {item.code for item in self.reporting.report_sections}
        for chapter in self.report_chapters:
            for source in chapter.sources:
                if source not in sections:
                    raise ValueError(
                        f"report_chapters: {chapter.id}.sources {source!r} is not a "
                        "reporting.report_sections code"
                    )
            tables = {block.table.id for block in chapter.blocks if block.table}
            for block in chapter.blocks:
                refs: list[str | None] = []
                if block.table:
                    refs = [cell for row in block.table.rows for cell in row.cells]
                if block.highlights:
                    refs = [item.figure for item in block.highlights]
                for ref in refs:
                    if ref is not None and ref not in seen:
                        raise ValueError(
                            f"report_chapters: {chapter.id}: figure {ref!r} is not declared "
                            "in the catalogue (figures)"
                        )
                if block.chart and block.chart.table not in tables:
                    raise ValueError(
                        f"report_chapters: {chapter.id}: chart {block.chart.id} draws table "
                        f"{block.chart.table!r}, which is not in the chapter"
                    )
        return self

    # Bounds of entered numbers and dates, and the personal code's format (limits.yaml).
    limits: LimitsSection
    personal_code: PersonalCodeSection
    # How import files are written in the country (interop.yaml).
    interop: InteropSection = Field(default_factory=InteropSection)

    @model_validator(mode="after")
    def _check_references(self) -> Profile:
        for name in (
            "exploitation_forms",
            "labour_sectors",
            "recruitment_methods",
            "education_levels",
            "referral_channels",
            "regions",
            "age_groups",
            "identification_criteria",
            "retired_identification_criteria",
            "vulnerability_factors",
            "recruitment_platforms",
            "migration_routes",
            "legal_sections",
        ):
            _unique_codes(name, getattr(self, name))
        current = set(self.codes("identification_criteria"))
        for retired in self.retired_identification_criteria:
            if retired.code in current:
                raise ValueError(
                    f"retired_identification_criteria: {retired.code!r} is still a current "
                    "criterion"
                )
            for code in retired.replaced_by:
                if code not in current:
                    raise ValueError(
                        f"retired_identification_criteria: {retired.code}.replaced_by {code!r} "
                        "is not an identification_criteria code"
                    )
        forms = {f.code for f in self.exploitation_forms}
        for form in self.exploitation_forms:
            if form.headline is not None and form.headline not in forms:
                raise ValueError(
                    f"exploitation_forms: {form.code}.headline {form.headline!r} is not a form"
                )
        _check_age_groups(self.age_groups)
        channels = set(self.codes("referral_channels"))
        for referring in self.referral.referring_kinds:
            if referring.channel not in channels:
                raise ValueError(
                    f"referral.referring_kinds: {referring.code}.channel "
                    f"{referring.channel!r} is not "
                    "a referral_channels code"
                )
        kinds = set(self.codes("institution_kinds"))
        justice_kinds = self.justice.reporter_institution_kinds
        for where, kind in [
            *(("justice.reporter_institution_kinds", k) for k in justice_kinds),
            ("support.funder_institution_kind", self.support.funder_institution_kind),
            ("support.compensation_institution_kind", self.support.compensation_institution_kind),
            *(("referral.referring_kinds", k.code) for k in self.referral.referring_kinds),
            *(("referral.receiving_kinds", k) for k in self.referral.receiving_kinds),
            *(
                (f"returns.step_kinds.{step.code}.responsible_kinds", k)
                for step in self.returns.step_kinds
                for k in step.responsible_kinds
            ),
        ]:
            if kind not in kinds:
                raise ValueError(f"{where}: {kind!r} is not an institution_kinds code")
        institutions = {item.code for item in self.institutions}
        for code in self.commission.institution_codes():
            if code not in institutions:
                raise ValueError(f"commission: {code!r} is not an institutions code")
        for channel in self.returns.abroad_channels:
            if channel not in channels:
                raise ValueError(
                    f"returns.abroad_channels: {channel!r} is not a referral_channels code"
                )
        if self.returns.cost_category not in {c.code for c in self.support.other_cost_categories}:
            raise ValueError(
                f"returns.cost_category: {self.returns.cost_category!r} is not a "
                "support.other_cost_categories code"
            )
        priorities = [f.priority for f in self.exploitation_forms]
        if len(set(priorities)) != len(priorities):
            raise ValueError("exploitation_forms: two forms share a priority")
        return self

    # Look-ups used across the code base.

    def codes(self, section: str) -> list[str]:
        return [item.code for item in getattr(self, section)]

    def label(self, section: str, code: str, language: str = "") -> str:
        """The code's label; a code of an earlier list (`retired_<section>`, where the
        profile keeps one) reads as it was recorded."""
        for item in [*getattr(self, section), *getattr(self, f"retired_{section}", [])]:
            if item.code == code:
                return str(item.label.get(language))
        return code

    def criteria_now(self, codes: list[str]) -> list[str]:
        """Recorded criteria as current codes: a retired code becomes the criteria that
        replaced it (read-time mapping of decisions recorded with an earlier list)."""
        retired = {item.code: item.replaced_by for item in self.retired_identification_criteria}
        out: list[str] = []
        for code in codes:
            for now in retired.get(code, [code]):
                if now not in out:
                    out.append(now)
        return out

    def choices(self, section: str, language: str = "") -> list[tuple[str, str]]:
        return [(item.code, item.label.get(language)) for item in getattr(self, section)]

    def institution_kind(self, code: str) -> InstitutionKindDef:
        for kind in self.institution_kinds:
            if kind.code == code:
                return kind
        raise KeyError(code)

    def figure(self, figure_id: str) -> FigureDef:
        for figure in self.figures:
            if figure.id == figure_id:
                return figure
        raise KeyError(figure_id)

    def chapter(self, chapter_id: str) -> ChapterSpec:
        for chapter in self.report_chapters:
            if chapter.id == chapter_id:
                return chapter
        raise KeyError(chapter_id)

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
