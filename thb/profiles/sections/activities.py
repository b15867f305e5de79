"""The `activities` section of a country profile (thb/profiles/<country>/activities.yaml).

Code lists of the institutions' activity returns (detection, helplines, training,
awareness, international cooperation) and the report's activity figures: which records
each published figure id counts. The figure definitions are data so that another
country (or a renamed institution) changes YAML, not code.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from thb.profiles.schema_base import CodeItem, CodeStr, Label, Strict

LegalCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.]+$")]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
FigureId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")]
InstitutionCode = Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]+$")]


class LegalBasis(Strict):
    """A provision an activity record may cite that is not a Criminal Law section of
    the common `legal_sections` list (administrative offences, for instance)."""

    code: LegalCode
    label: Label


class ParticipantGroup(CodeItem):
    """Where a training participant works. `sector` decides whether they count as a
    state or municipal employee in the headline training figure."""

    sector: Literal["state", "municipal", "private", "ngo", "international", "unknown"]


class FigureSpec(Strict):
    """One published figure and the records it counts.

    measure: what is summed. The filters apply where they mean something for the
    measure; unset filters do not restrict. year_offset: -1 gives the previous year's
    value under this year's report (the report's comparisons)."""

    id: FigureId
    measure: Literal[
        "detection",
        "helpline_contacts",
        "training_sessions",
        "training_participants",
        "training_headline",
        "reach",
        "campaign_materials",
        "contributions_eur",
        "project_event_participants",
        "project_event_views",
    ]
    year_offset: int = Field(default=0, ge=-10, le=0)
    institutions: list[InstitutionCode] = Field(default_factory=list)
    institution_kinds: list[CodeStr] = Field(default_factory=list)
    kind: CodeStr | None = None
    place_type: CodeStr | None = None
    legal_bases: list[LegalCode] = Field(default_factory=list)
    thb_related: bool | None = None
    helpline: CodeStr | None = None
    channel: CodeStr | None = None
    event_type: CodeStr | None = None
    own_event: bool | None = None
    participant_group: CodeStr | None = None
    profession: CodeStr | None = None
    metric: CodeStr | None = None
    recipient: CodeStr | None = None
    project: CodeStr | None = None
    project_event: CodeStr | None = None


def _unique(name: str, codes: list[str]) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise ValueError(f"{name}: code {code!r} appears twice")
        seen.add(code)


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
    figures: list[FigureSpec] = Field(default_factory=list)

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
        _unique("figures", [f.id for f in self.figures])
        references = {
            "kind": None,  # depends on the measure, checked below
            "place_type": "place_types",
            "channel": "helpline_channels",
            "event_type": "training_event_types",
            "participant_group": "participant_groups",
            "profession": "professions",
            "metric": "reach_metrics",
            "recipient": "international_bodies",
        }
        kind_lists = {
            "detection": "detection_kinds",
            "reach": "reach_channels",
            "campaign_materials": "campaign_material_kinds",
        }
        for spec in self.figures:
            for attr, list_name in references.items():
                value = getattr(spec, attr)
                if attr == "kind":
                    list_name = kind_lists.get(spec.measure)
                if value is None or list_name is None:
                    continue
                if value not in self.codes(list_name):
                    raise ValueError(
                        f"figures: {spec.id}.{attr} {value!r} is not a code of {list_name}"
                    )
        return self

    def codes(self, name: str) -> list[str]:
        items = getattr(self, name)
        if name == "contact_languages":
            return list(items)
        return [item.code for item in items]

    def label(self, name: str, code: str, language: str = "lv") -> str:
        for item in getattr(self, name):
            if item.code == code:
                return str(item.label.get(language))
        return code

    def choices(self, name: str, language: str = "lv") -> list[tuple[str, str]]:
        if name == "contact_languages":
            return [(code, code) for code in self.contact_languages]
        return [(item.code, item.label.get(language)) for item in getattr(self, name)]

    def group_sector(self, code: str) -> str:
        for group in self.participant_groups:
            if group.code == code:
                return group.sector
        return "unknown"

    def figure(self, figure_id: str) -> FigureSpec:
        for spec in self.figures:
            if spec.id == figure_id:
                return spec
        raise KeyError(figure_id)
