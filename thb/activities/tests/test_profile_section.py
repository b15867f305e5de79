from pathlib import Path

import pytest

from thb.core.registry import registry
from thb.profiles.loader import ProfileError, load_profile
from thb.profiles.sections.figures import FigureDef
from thb.reports.catalogue import check_catalogue


def test_a_bad_participant_sector_names_file_and_key(profile_copy: Path):
    path = profile_copy / "activities.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("sector: municipal", "sector: city", 1),
        encoding="utf-8",
    )
    with pytest.raises(ProfileError) as info:
        load_profile(profile_copy)
    assert "activities.yaml" in str(info.value)
    assert "activities.participant_groups[5].sector" in str(info.value)


def _figure(measure: str, **filters: object) -> FigureDef:
    return FigureDef.model_validate(
        {
            "id": "detection.test.figure",
            "definition": {"lv": "x", "en": "x"},
            "unit": "events",
            "measure": measure,
            "filters": filters,
        }
    )


@pytest.mark.parametrize(
    ("measure", "filters", "message"),
    [
        ("activities.detection", {"place_type": "orphanage"}, "place_type 'orphanage'"),
        ("activities.detection", {"kind": "website"}, "detection_kinds"),
        ("activities.reach", {"kind": "inspection"}, "reach_channels"),
        ("activities.detection", {"legal_bases": ["999"]}, "legal_bases '999'"),
        ("activities.training_participants", {"profession": "astronaut"}, "professions"),
        ("activities.helpline_contacts", {"channel": "pigeon"}, "helpline_channels"),
    ],
)
def test_a_figure_naming_an_unknown_code_is_refused(measure, filters, message):
    check = registry.measure(measure).check
    assert check is not None
    with pytest.raises(ValueError, match=message):
        check(_figure(measure, **filters))


def test_a_figure_with_known_codes_passes():
    check = registry.measure("activities.detection").check
    assert check is not None
    check(_figure("activities.detection", kind="inspection", legal_bases=["285.1", "APK.189.1"]))


def test_the_catalogue_has_no_problems():
    assert check_catalogue() == []


def test_an_unknown_code_in_the_catalogue_is_reported(monkeypatch):
    bad = _figure("activities.detection", place_type="orphanage")
    monkeypatch.setattr("thb.reports.catalogue.catalogue", lambda: {bad.id: bad})
    problems = check_catalogue()
    assert problems == [
        "detection.test.figure: place_type 'orphanage' is not a code of activities.place_types"
    ]
