"""The figure catalogue: every published id declared literally once, with a
definition in both languages, computed by a registered measure, present in every
year's output."""

import re
from pathlib import Path

import pytest

from thb.profiles.loader import PROFILES_DIR, ProfileError, load_profile
from thb.reports.catalogue import catalogue, check_catalogue, compute_figures, explain
from thb.reports.reference import reference_figures

CATALOGUE_FILES = sorted((PROFILES_DIR / "lv").glob("figures-*.yaml"))


def _declarations() -> list[str]:
    """Every `- id: X` line of the catalogue files, as written."""
    ids = []
    for path in CATALOGUE_FILES:
        ids += re.findall(r"^\s*- id: ([^\s#]+)\s*$", path.read_text(encoding="utf-8"), re.M)
    return ids


def test_every_reference_id_is_declared_literally_exactly_once():
    written = _declarations()
    for figure_id in reference_figures(""):
        times = written.count(figure_id)
        assert times == 1, f"{figure_id} is declared {times} times"


def test_the_literal_declarations_are_the_catalogue():
    assert sorted(_declarations()) == sorted(catalogue())


def test_a_figure_declared_twice_stops_the_profile(tmp_path: Path):
    for path in (PROFILES_DIR / "lv").glob("*.yaml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    extra = tmp_path / "figures-zz-extra.yaml"
    extra.write_text(
        "figures:\n  - id: victims.identified\n    definition: {lv: a, en: b}\n"
        "    unit: persons\n    measure: victims.cases\n",
        encoding="utf-8",
    )
    with pytest.raises(ProfileError, match=r"victims\.identified.*declared twice"):
        load_profile(tmp_path)


def test_every_figure_has_a_registered_measure_that_understands_its_filters():
    assert check_catalogue() == []


def test_every_figure_has_a_definition_in_both_languages_that_is_not_its_id():
    for figure in catalogue().values():
        assert figure.definition.get("lv").strip() and figure.definition.get("en").strip()
        assert figure.definition.get("en") != figure.id, f"{figure.id} has no English definition"


@pytest.mark.django_db
def test_a_year_without_records_gives_every_id_with_zero():
    figures = compute_figures(1995)
    assert set(figures) == set(catalogue())
    assert set(figures.values()) == {0}


def test_explain_names_the_records_and_the_filters():
    figure_id = "support.funding.spent_eur"
    found = explain(figure_id, "en")
    assert found.definition.startswith("Funding spent in the year")
    assert found.unit == "EUR"
    assert found.filters and found.records
