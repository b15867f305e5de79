"""The `activities` section of a country profile (thb/profiles/<country>/activities.yaml).

Code lists of the institutions' activity returns (detection, helplines, training,
awareness, international cooperation). The report's activity figures are declared in
the figure catalogue (figures-activities.yaml); their filters name codes of these lists
and are checked here (check_figure_filters).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from thb.profiles.schema_base import CodeItem, Label, Strict

LegalCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.]+$")]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]


class LegalBasis(Strict):
    """A provision an activity record may cite that is not a Criminal Law section of
    the common `legal_sections` list (administrative offences, for instance)."""

    code: LegalCode
    label: Label


class ParticipantGroup(CodeItem):
    """Where a training participant works. `sector` decides whether they count as a
    state or municipal employee in the headline training figure."""

    sector: Literal["state", "municipal", "private", "ngo", "international", "unknown"]


def _unique(name: str, codes: list[str]) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise ValueError(f"{name}: code {code!r} appears twice")
        seen.add(code)


# Filters of the activities measures that name a code of one of the lists.
_FILTER_LISTS = {
    "place_type": "place_types",
    "channel": "helpline_channels",
    "event_type": "training_event_types",
    "participant_group": "participant_groups",
    "profession": "professions",
    "metric": "reach_metrics",
    "recipient": "international_bodies",
}
# The filter `kind` names a code of a list that depends on the measure.
_KIND_LISTS = {
    "detection": "detection_kinds",
    "reach": "reach_channels",
    "campaign_materials": "campaign_material_kinds",
}


class ActivitiesSection(Strict):
    detection_kinds: list[CodeItem] = Field(min_length=1)
    place_types: list[CodeItem] = Field(min_length=1)
    legal_bases: list[LegalBasis] = Field(default_factory=list)
    helpline_channels: list[CodeItem] = Field(min_length=1)
    helpline_topics: list[CodeItem] = Field(min_length=1)
    contact_languages: list[LanguageCode] = Field(min_length=1)
    training_formats: list[CodeItem] = Field(min_length=1)
    training_event_types: list[CodeItem] = Field(min_length=1)
    participant_groups: list[ParticipantGroup] = Field(min_length=1)
    professions: list[CodeItem] = Field(min_length=1)
    campaign_material_kinds: list[CodeItem] = Field(min_length=1)
    campaign_topics: list[CodeItem] = Field(min_length=1)
    reach_channels: list[CodeItem] = Field(min_length=1)
    reach_metrics: list[CodeItem] = Field(min_length=1)
    project_roles: list[CodeItem] = Field(min_length=1)
    international_bodies: list[CodeItem] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> ActivitiesSection:
        lists = (
            "detection_kinds",
            "place_types",
            "legal_bases",
            "helpline_channels",
            "helpline_topics",
            "training_formats",
            "training_event_types",
            "participant_groups",
            "professions",
            "campaign_material_kinds",
            "campaign_topics",
            "reach_channels",
            "reach_metrics",
            "project_roles",
            "international_bodies",
        )
        for name in lists:
            _unique(name, [item.code for item in getattr(self, name)])
        _unique("contact_languages", list(self.contact_languages))
        return self

    def check_figure_filters(self, measure: str, filters: Mapping[str, object]) -> None:
        """The filters of a catalogue figure of measure activities.<measure> name codes
        of these lists (ValueError naming the filter otherwise). Unset filters pass."""
        for name, value in filters.items():
            if name == "kind":
                list_name = _KIND_LISTS.get(measure)
            elif name == "legal_bases":
                self._check_legal_bases(value)
                continue
            else:
                list_name = _FILTER_LISTS.get(name)
            if list_name is None or value is None:
                continue
            if value not in self.codes(list_name):
                raise ValueError(f"{name} {value!r} is not a code of activities.{list_name}")

    def _check_legal_bases(self, value: object) -> None:
        from thb.profiles import get_profile

        known = {basis.code for basis in self.legal_bases}
        known |= {section.code for section in get_profile().legal_sections}
        for code in value if isinstance(value, list) else [value]:
            if code not in known:
                raise ValueError(
                    f"legal_bases {code!r} is not a code of activities.legal_bases "
                    "or legal_sections"
                )

    def codes(self, name: str) -> list[str]:
        items = getattr(self, name)
        if name == "contact_languages":
            return list(items)
        return [item.code for item in items]

    def label(self, name: str, code: str, language: str = "") -> str:
        for item in getattr(self, name):
            if item.code == code:
                return str(item.label.get(language))
        return code

    def choices(self, name: str, language: str = "") -> list[tuple[str, str]]:
        if name == "contact_languages":
            return [(code, code) for code in self.contact_languages]
        return [(item.code, item.label.get(language)) for item in getattr(self, name)]

    def group_sector(self, code: str) -> str:
        for group in self.participant_groups:
            if group.code == code:
                return group.sector
        return "unknown"
