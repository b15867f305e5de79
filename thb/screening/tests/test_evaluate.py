"""The combination rule of the ILO/EC indicators on all four lists of the profile."""

import pytest
from django.core.exceptions import ValidationError

from thb.screening.evaluate import evaluate, get_version

LISTS = ("adult_labour", "adult_sexual", "child_labour", "child_sexual")


def _by_strength(list_key: str, dimension: str, strength: str) -> list[str]:
    groups = get_version().get_list(list_key).dimensions[dimension]
    return [f"{dimension}.{code}" for code in getattr(groups, strength)]


def _pick(list_key: str, dimension: str, strong: int = 0, medium: int = 0, weak: int = 0):
    picked = []
    for strength, n in (("strong", strong), ("medium", medium), ("weak", weak)):
        available = _by_strength(list_key, dimension, strength)
        if len(available) < n:
            pytest.skip(f"{list_key}.{dimension} has fewer than {n} {strength} indicators")
        picked += available[:n]
    return picked


@pytest.mark.parametrize("list_key", LISTS)
@pytest.mark.parametrize(
    ("dimension", "strong", "medium", "weak", "positive"),
    [
        ("cd", 2, 0, 0, True),  # two strong
        ("cd", 1, 1, 0, True),  # one strong + one medium
        ("dr", 1, 1, 0, True),
        ("vr", 0, 3, 0, True),  # three medium
        ("cd", 1, 0, 0, False),  # one strong alone
        ("vr", 0, 2, 0, False),  # two medium alone
        ("vr", 0, 1, 0, False),
        ("cr", 0, 0, 0, False),
    ],
)
def test_a_dimension_is_positive_by_the_thresholds(
    list_key, dimension, strong, medium, weak, positive
):
    ticked = _pick(list_key, dimension, strong, medium, weak)
    result = evaluate(list_key, ticked)
    got = result.dimension(dimension)
    assert (got.strong, got.medium, got.weak) == (strong, medium, weak)
    assert got.positive is positive


def test_one_strong_and_one_weak_is_positive():
    ticked = _pick("adult_labour", "dr", strong=1, weak=1)
    assert evaluate("adult_labour", ticked).dimension("dr").positive


def test_two_medium_and_one_weak_is_positive_but_one_medium_and_two_weak_is_not():
    assert (
        evaluate("adult_labour", _pick("adult_labour", "vd", medium=2, weak=1))
        .dimension("vd")
        .positive
    )
    assert (
        not evaluate("adult_labour", _pick("adult_labour", "vd", medium=1, weak=2))
        .dimension("vd")
        .positive
    )


def test_two_weak_are_not_positive():
    ticked = _pick("adult_labour", "vr", weak=2)
    assert not evaluate("adult_labour", ticked).dimension("vr").positive


def _positive(list_key: str, *dimensions: str) -> list[str]:
    """Ticks that make exactly these dimensions positive (3 medium or 2 strong)."""
    ticked = []
    for dimension in dimensions:
        strong = _by_strength(list_key, dimension, "strong")
        medium = _by_strength(list_key, dimension, "medium")
        if len(strong) >= 2:
            ticked += strong[:2]
        else:
            ticked += strong[:1] + medium[:1] if strong else medium[:3]
    return ticked


@pytest.mark.parametrize("list_key", ["adult_labour", "adult_sexual"])
@pytest.mark.parametrize("recruitment", ["dr", "cr", "vr"])
@pytest.mark.parametrize("destination", ["cd", "vd"])
def test_adults_need_recruitment_exploitation_and_destination(list_key, recruitment, destination):
    result = evaluate(list_key, _positive(list_key, recruitment, "ex", destination))
    assert result.sufficient
    assert result.missing == ()
    assert result.outcome == ""


@pytest.mark.parametrize("list_key", ["adult_labour", "adult_sexual"])
def test_adults_without_destination_are_not_sufficient(list_key):
    result = evaluate(list_key, _positive(list_key, "dr", "ex"))
    assert not result.sufficient
    assert result.missing == (("cd", "vd"),)
    assert result.outcome == "recruitment_and_exploitation"


@pytest.mark.parametrize("list_key", ["adult_labour", "adult_sexual"])
def test_adults_without_exploitation_are_not_sufficient(list_key):
    result = evaluate(list_key, _positive(list_key, "dr", "cr", "vr", "cd", "vd"))
    assert not result.sufficient
    assert result.missing == (("ex",),)
    assert result.outcome == ""


def test_adults_exploitation_alone_is_the_exploited_migrant():
    result = evaluate("adult_labour", _positive("adult_labour", "ex"))
    assert not result.sufficient
    assert result.missing == (("dr", "cr", "vr"), ("cd", "vd"))
    assert result.outcome == "exploitation_only"


def test_adults_exploitation_and_destination_without_recruitment():
    result = evaluate("adult_labour", _positive("adult_labour", "ex", "cd"))
    assert not result.sufficient
    assert result.outcome == "exploitation_at_destination"


@pytest.mark.parametrize("list_key", ["child_labour", "child_sexual"])
@pytest.mark.parametrize("recruitment", ["dr", "cr", "vr"])
def test_children_need_no_coercion_at_destination(list_key, recruitment):
    result = evaluate(list_key, _positive(list_key, recruitment, "ex"))
    assert result.sufficient


@pytest.mark.parametrize("list_key", ["child_labour", "child_sexual"])
def test_children_exploitation_alone_is_not_sufficient(list_key):
    result = evaluate(list_key, _positive(list_key, "ex", "cd", "vd"))
    assert not result.sufficient
    assert result.missing == (("dr", "cr", "vr"),)
    assert result.outcome == "exploitation_only"


@pytest.mark.parametrize("list_key", LISTS)
def test_nothing_ticked_is_not_sufficient(list_key):
    result = evaluate(list_key, [])
    assert not result.sufficient
    assert not any(d.positive for d in result.dimensions)
    assert result.outcome == ""


def test_the_same_indicator_differs_in_strength_between_lists():
    # Threats of violence are medium for adults, strong for children (the Delphi lists).
    adult = evaluate("adult_labour", ["cr.threats_of_violence", "cr.violence_on_victims"])
    child = evaluate("child_labour", ["cr.threats_of_violence", "cr.violence_on_victims"])
    assert (adult.dimension("cr").strong, adult.dimension("cr").medium) == (1, 1)
    assert (child.dimension("cr").strong, child.dimension("cr").medium) == (2, 0)


def test_a_code_ticked_twice_counts_once():
    result = evaluate("adult_labour", ["cd.debt_bondage", "cd.debt_bondage"])
    assert result.dimension("cd").strong == 1
    assert not result.dimension("cd").positive


def test_an_unknown_code_is_named():
    with pytest.raises(ValidationError) as info:
        evaluate("adult_labour", ["dr.wages_earnings", "dr.no_such_thing"])
    assert "dr.no_such_thing" in str(info.value)
    assert "indicators" in info.value.message_dict


def test_a_code_of_another_list_is_refused():
    # Deception about prostitution is on the sexual lists only.
    with pytest.raises(ValidationError, match=r"dr\.conditions_of_prostitution"):
        evaluate("adult_labour", ["dr.conditions_of_prostitution"])


def test_an_unknown_list_and_version_are_named():
    with pytest.raises(ValidationError, match="adult_organs"):
        evaluate("adult_organs", [])
    with pytest.raises(ValidationError, match="v99"):
        evaluate("adult_labour", [], version="v99")


def test_the_result_explains_itself_in_english():
    ticked = [
        "dr.nature_of_job_location_or_employer",
        "dr.wages_earnings",
        *_positive("adult_labour", "ex"),
    ]
    result = evaluate("adult_labour", ticked)
    lines = result.lines("en")
    assert lines[0] == "deceptive recruitment: positive (1 strong + 1 medium)"
    assert "coercion at destination: not shown (no indicator ticked)" in lines
    assert lines[-1].startswith(
        "the indicators are not sufficient to presume trafficking for labour exploitation"
    )
    missing = "not shown: coercion at destination or abuse of vulnerability at destination"
    assert missing in lines[-1]


def test_the_result_explains_itself_in_latvian():
    ticked = ["dr.nature_of_job_location_or_employer", "dr.wages_earnings", "dr.conditions_of_work"]
    lines = evaluate("adult_labour", ticked).lines("lv")
    assert lines[0] == "maldinoša vervēšana: pozitīva (1 spēcīga + 2 vidējas)"
    assert lines[-1].startswith("pazīmes nav pietiekamas")
