"""The builder: one Document from layout + figures + edition + language."""

import pytest

from thb.reports.builder import build_document
from thb.reports.catalogue import catalogue
from thb.reports.document import Highlights


def _figures(values: dict[str, int]):
    def figures_of(year: int) -> dict[str, int]:
        return {figure_id: values.get(figure_id, 0) for figure_id in catalogue()}

    return figures_of


def _summary(document) -> list[str]:
    return next(
        block.sentences
        for block in document.chapter("summary").blocks
        if isinstance(block, Highlights)
    )


@pytest.mark.django_db
def test_the_public_summary_never_states_a_hidden_count_in_words():
    figures_of = _figures({"support.compensation.persons": 2, "victims.identified": 40})
    internal = build_document(
        year=2020, language="en", figures_of=figures_of, years_with_records={2020}
    )
    public = build_document(
        year=2020,
        language="en",
        edition="public",
        figures_of=figures_of,
        years_with_records={2020},
    )
    assert "state compensation paid to 2 persons" in _summary(internal)
    assert "state compensation paid to <3 persons" in _summary(public)
    assert public.figures["support.compensation.persons"] is None


@pytest.mark.django_db
def test_the_summary_gives_the_previous_year_where_it_has_records():
    values = {"training.participants": 1137}
    document = build_document(
        year=2020, language="lv", figures_of=_figures(values), years_with_records={2019, 2020}
    )
    sentence = next(s for s in _summary(document) if "mācībās" in s)
    assert sentence.endswith("(2019: 1\xa0137)")
    alone = build_document(
        year=2020, language="lv", figures_of=_figures(values), years_with_records={2020}
    )
    assert "(2019" not in " ".join(_summary(alone))
