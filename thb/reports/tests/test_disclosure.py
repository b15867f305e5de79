"""The protector's own rules (the proof against an attacker is
test_disclosure_attack.py)."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from thb.reports.builder import build_document
from thb.reports.catalogue import catalogue
from thb.reports.disclosure import _optimum, _protected, protect_document
from thb.reports.document import (
    PRIMARY,
    SECONDARY,
    Cell,
    Chapter,
    Document,
    Number,
    Row,
    Table,
)
from thb.reports.formatting import cell_text


def _document(rows: list[list[tuple[str, int]]], *, row_total: bool = True) -> Document:
    table = Table(
        id="t",
        title="t",
        columns=[str(i) for i in range(len(rows[0]))],
        rows=[
            Row(str(i), [Cell(figure=f, value=v, year=2020) for f, v in row])
            for i, row in enumerate(rows)
        ],
        row_total=row_total,
    )
    figures: dict[str, Number | None] = {f: v for row in rows for f, v in row}
    return Document(
        year=2020,
        language="en",
        edition="public",
        title="t",
        issuer="t",
        chapters=[Chapter(id="c", number=1, title="c", topics=[], blocks=[table])],
        figures=figures,
        threshold=3,
    )


def test_a_small_count_and_the_cell_that_would_reveal_it_are_hidden_everywhere():
    document = _document([[("x.a", 2), ("x.b", 40), ("x.c", 5), ("x.t", 47)]])
    flags = protect_document(document, counts_persons=lambda _id: True)
    assert flags == {("x.a", 2020): PRIMARY, ("x.c", 2020): SECONDARY}  # 5: the cheapest
    assert document.figures == {"x.a": None, "x.b": 40, "x.c": None, "x.t": 47}
    assert document.flags == {"x.a": PRIMARY, "x.c": SECONDARY}
    cells = document.tables[0].rows[0].cells
    assert [cell_text(c, "en", 3) for c in cells] == ["<3", "40", "c", "47"]


def test_zeros_are_published_and_never_hidden_to_protect_others():
    # a + 0 = t: hiding the zero would not help; the total is hidden instead.
    document = _document([[("x.a", 1), ("x.z", 0), ("x.t", 1)]])
    flags = protect_document(document, counts_persons=lambda _id: True)
    assert document.figures["x.z"] == 0
    assert flags == {("x.a", 2020): PRIMARY, ("x.t", 2020): PRIMARY}
    # 2 + 0 + 9 = 11: the 9 goes, never the zero.
    document = _document([[("y.a", 2), ("y.z", 0), ("y.b", 9), ("y.t", 11)]])
    flags = protect_document(document, counts_persons=lambda _id: True)
    assert flags == {("y.a", 2020): PRIMARY, ("y.b", 2020): SECONDARY}


def test_only_counts_of_persons_are_protected():
    document = _document([[("x.eur", 2), ("x.persons", 2)]], row_total=False)
    protect_document(document, counts_persons=lambda figure: figure == "x.persons")
    assert document.figures == {"x.eur": 2, "x.persons": None}


def test_the_catalogue_says_what_counts_persons_and_unknown_ids_are_protected():
    declared = catalogue()
    money = next(f for f, d in declared.items() if not d.counts_persons)
    people = next(f for f, d in declared.items() if d.counts_persons)
    document = _document([[(money, 1), (people, 1), ("not.declared", 1)]], row_total=False)
    protect_document(document)
    assert document.figures == {money: 1, people: None, "not.declared": None}


def test_a_sum_the_figures_do_not_make_is_ignored_with_a_warning(caplog):
    document = _document([[("x.a", 2), ("x.b", 40), ("x.t", 50)]])
    with caplog.at_level(logging.WARNING, logger="thb.reports.disclosure"):
        flags = protect_document(document, counts_persons=lambda _id: True)
    assert flags == {("x.a", 2020): PRIMARY}
    assert "relation ignored" in caplog.text


def test_the_integer_optimum_is_used_when_the_relaxation_is_fractional():
    low, high = np.zeros(2), np.full(2, np.inf)
    # max x1 with 2 x1 + x2 = 3: the relaxation says 1.5, integers say 1.
    assert _optimum(np.array([-1.0, 0.0]), np.array([[2.0, 1.0]]), np.array([3.0]), low, high) == -1
    # unbounded: x1 - x2 = 0
    unbounded = _optimum(np.array([-1.0, 0.0]), np.array([[1.0, -1.0]]), np.array([0.0]), low, high)
    assert unbounded == float("-inf")
    # with bounds: 1 <= x1 <= 2, x2 >= 3, x1 + x2 = 4 leaves x1 = 1 only
    box_low, box_high = np.array([1.0, 3.0]), np.array([2.0, np.inf])
    matrix, rhs = np.array([[1.0, 1.0]]), np.array([4.0])
    assert _optimum(np.array([-1.0, 0.0]), matrix, rhs, box_low, box_high) == -1
    assert _optimum(np.array([1.0, 0.0]), matrix, rhs, box_low, box_high) == 1


def test_a_value_given_twice_differently_is_an_error():
    document = _document([[("x.a", 2), ("x.a", 3)]], row_total=False)
    with pytest.raises(ValueError, match="two values"):
        protect_document(document)


def _figures(minors: int) -> dict[str, int]:
    figures = dict.fromkeys(catalogue(), 10)
    figures.update(
        {
            "victims.identified.men": 30,
            "victims.identified.women": 12,
            "victims.identified.minors": minors,
            "victims.identified": 42 + minors,
            "support.compensation.persons": 2,
        }
    )
    return figures


def test_a_page_of_some_chapters_hides_what_the_whole_edition_hides():
    def build(chapters: list[str] | None) -> Document:
        return build_document(
            year=2020,
            language="en",
            edition="public",
            chapters=chapters,
            figures_of=lambda _year: _figures(2),
            narratives=lambda _year, _language: {},
            years_with_records=set(),
        )

    whole, page = build(None), build(["victims"])
    assert [c.id for c in page.chapters] == ["victims"]
    assert page.flags == whole.flags
    assert whole.flags["victims.identified.minors"] == PRIMARY
    # (with figures whose sums hold, the generated years of
    # test_disclosure_attack.py check the same with secondary cells)


def test_a_summary_sentence_never_shows_a_hidden_figure():
    def summary(edition: str, language: str) -> list[str]:
        document = build_document(
            year=2020,
            language=language,
            edition=edition,  # type: ignore[arg-type]
            figures_of=lambda year: _figures(2 if year == 2020 else 1),
            narratives=lambda _year, _language: {},
            years_with_records={2019},
        )
        return document.chapter("summary").blocks[0].sentences  # type: ignore[union-attr]

    internal = summary("internal", "en")
    public = summary("public", "en")
    assert "state compensation paid to 2 persons (2019: 2)" in internal
    assert "state compensation paid to <3 persons (2019: <3)" in public
    assert any("<3" in sentence for sentence in summary("public", "lv"))


def test_the_same_figures_are_protected_once_per_process_and_new_ones_again():
    _protected.clear()
    rows = [[("k.a", 2), ("k.b", 40), ("k.c", 5), ("k.t", 47)]]
    first = protect_document(_document(rows), counts_persons=lambda _id: True)
    assert len(_protected) == 1
    assert protect_document(_document(rows), counts_persons=lambda _id: True) == first
    assert len(_protected) == 1  # kept, not solved again
    # Other figures are solved for themselves: 4 is now the cheapest to hide.
    other = [[("k.a", 2), ("k.b", 40), ("k.c", 4), ("k.t", 46)]]
    flags = protect_document(_document(other), counts_persons=lambda _id: True)
    assert len(_protected) == 2
    assert flags == first == {("k.a", 2020): PRIMARY, ("k.c", 2020): SECONDARY}
    cheaper = [[("k.a", 2), ("k.b", 4), ("k.c", 40), ("k.t", 46)]]
    flags = protect_document(_document(cheaper), counts_persons=lambda _id: True)
    assert flags == {("k.a", 2020): PRIMARY, ("k.b", 2020): SECONDARY}
