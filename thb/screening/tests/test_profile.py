"""The screening section of the profile is validated when loaded, with errors naming
the file, the version, the list and the code; and amending the lists is adding a
version, so that old screenings keep being explained with their own."""

from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from django.utils import timezone

from thb.profiles.loader import PROFILES_DIR, ProfileError, load_profile
from thb.screening import evaluate as evaluate_module
from thb.screening.evaluate import evaluate
from thb.screening.services import screening_record


def _edit(directory: Path, change) -> None:
    path = directory / "screening.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data["screening"])
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def _fails(directory: Path, *fragments: str) -> None:
    with pytest.raises(ProfileError) as info:
        load_profile(directory)
    message = str(info.value)
    assert "screening.yaml" in message
    for fragment in fragments:
        assert fragment in message


def test_the_four_lists_have_the_six_dimensions_and_the_publications_counts():
    section = load_profile(PROFILES_DIR / "lv").screening
    version = section.versions[-1]
    assert [item.key for item in version.lists] == [
        "adult_labour",
        "adult_sexual",
        "child_labour",
        "child_sexual",
    ]
    adult = version.get_list("adult_labour")
    counts = {
        code: sum(len(getattr(groups, s)) for s in ("strong", "medium", "weak"))
        for code, groups in adult.dimensions.items()
    }
    # The counts the ILO/EC publication gives for the adult-labour list.
    assert counts == {"dr": 10, "cr": 10, "vr": 16, "ex": 9, "cd": 15, "vd": 7}
    # No list claims to be checked against the publication: none was (see the header).
    assert {item.status for item in version.lists} <= {"secondary", "provisional"}


def test_an_indicator_without_a_label_is_named(profile_copy):
    _edit(
        profile_copy,
        lambda s: s["versions"][0]["lists"][2]["dimensions"]["cd"]["strong"].append("invented"),
    )
    _fails(profile_copy, "child_labour", "'invented' has no label")


def test_an_indicator_listed_twice_in_a_dimension_is_named(profile_copy):
    def change(s):
        s["versions"][0]["lists"][0]["dimensions"]["ex"]["weak"].append("hazardous_work")

    _edit(profile_copy, change)
    _fails(profile_copy, "adult_labour", "'hazardous_work' is listed twice")


def test_a_list_without_a_dimension_is_refused(profile_copy):
    _edit(profile_copy, lambda s: s["versions"][0]["lists"][1]["dimensions"].pop("vd"))
    _fails(profile_copy, "adult_sexual", "missing ['vd']")


def test_a_rule_naming_an_unknown_dimension_is_refused(profile_copy):
    _edit(profile_copy, lambda s: s["versions"][0]["rules"]["adult"]["requires"].append(["zz"]))
    _fails(profile_copy, "rules.adult", "'zz' is not a screening dimension")


def test_a_list_with_an_unknown_rule_is_refused(profile_copy):
    def change(s):
        s["versions"][0]["lists"][3]["rule"] = "elderly"

    _edit(profile_copy, change)
    _fails(profile_copy, "child_sexual", "rule 'elderly'")


def test_an_unknown_strength_is_refused(profile_copy):
    def change(s):
        s["versions"][0]["lists"][0]["dimensions"]["dr"]["very_strong"] = ["wages_earnings"]

    _edit(profile_copy, change)
    _fails(profile_copy, "very_strong")


def test_a_conclusion_without_the_purpose_is_refused(profile_copy):
    def change(s):
        s["versions"][0]["conclusion"]["sufficient"]["lv"] = "pietiek"

    _edit(profile_copy, change)
    _fails(profile_copy, "{purpose}")


def test_versions_must_follow_each_other_in_time(profile_copy):
    def change(s):
        copy = dict(s["versions"][0])
        copy["version"] = "amended"
        copy["valid_from"] = s["versions"][0]["valid_from"] - timedelta(days=1)
        s["versions"].append(copy)

    _edit(profile_copy, change)
    _fails(profile_copy, "versions[amended]", "valid_from must be later")


def test_a_version_id_used_twice_is_refused(profile_copy):
    def change(s):
        copy = dict(s["versions"][0])
        copy["valid_from"] = s["versions"][0]["valid_from"] + timedelta(days=1)
        s["versions"].append(copy)

    _edit(profile_copy, change)
    _fails(profile_copy, "the version id appears twice")


def test_an_amended_version_leaves_old_screenings_their_own(profile_copy, monkeypatch, owner):
    """The commission rates debt bondage at destination medium from today: a screening
    recorded before keeps the old rating, a new one uses the new."""
    old = screening_record(
        owner,
        list_key="adult_labour",
        indicators=["cd.debt_bondage", "cd.violence_on_victims"],
        notes="",
        screened_on=date(2020, 3, 1),
    )
    assert old.result().dimension("cd").positive

    def change(s):
        first = s["versions"][0]
        copy = yaml.safe_load(yaml.safe_dump(first))
        copy["version"] = "amended_2027"
        copy["valid_from"] = max(first["valid_from"], timezone.localdate()) + timedelta(days=1)
        groups = copy["lists"][0]["dimensions"]["cd"]
        groups["strong"].remove("debt_bondage")
        groups["medium"].append("debt_bondage")
        s["versions"].append(copy)
        first["valid_from"] = first["valid_from"] - timedelta(days=1)

    _edit(profile_copy, change)
    section = load_profile(profile_copy).screening
    monkeypatch.setattr(evaluate_module, "section", lambda: section)
    tomorrow = section.versions[-1].valid_from
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: tomorrow)

    assert old.result().version == old.profile_version
    assert old.result().dimension("cd").positive  # still 2 strong by its own version
    new = evaluate("adult_labour", ["cd.debt_bondage", "cd.violence_on_victims"])
    assert new.version == "amended_2027"
    assert (new.dimension("cd").strong, new.dimension("cd").medium) == (1, 1)
    assert new.dimension("cd").positive  # 1 strong + 1 medium
    alone = evaluate("adult_labour", ["cd.debt_bondage"], version=old.profile_version)
    assert alone.dimension("cd").strong == 1
