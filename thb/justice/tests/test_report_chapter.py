"""The criminal-justice chapter of the annual report: complete tables of declared
figures, labelled in words in both languages, and the 2020 related-offences table as
the report printed it."""

from __future__ import annotations

import re

import pytest

from thb.profiles import get_profile
from thb.reports.builder import build_document
from thb.reports.catalogue import catalogue
from thb.reports.document import Document, Table

FIGURE_ID = re.compile(r"^[a-z0-9_]+(\.[a-zA-Z0-9_+]+)+$")


def _tables(chapter: str, language: str) -> list[Table]:
    document = build_document(
        year=2020,
        language=language,
        chapters=[chapter],
        figures_of=lambda year: {},
        narratives=lambda year, language: {},
        years_with_records=set(),
    )
    return [block for block in document.chapters[0].blocks if isinstance(block, Table)]


@pytest.mark.parametrize("language", ["lv", "en"])
def test_every_cell_is_a_declared_figure_and_every_label_a_word(language: str):
    declared = catalogue()
    tables = _tables("justice", language)
    assert {t.id for t in tables} >= {
        "thb_proceedings",
        "thb_suspects_by_citizenship",
        "thb_prosecution_and_courts",
        "thb_sent_to_court",
        "related_offences",
        "convicted_persons",
        "sentences",
        "non_punishment",
    }
    for table in tables:
        for label in [table.title, *table.columns, *(row.label for row in table.rows)]:
            assert label.strip(), table.id
            assert not FIGURE_ID.match(label), label
            assert "_" not in label, label
        for row in table.rows:
            for cell in row.cells:
                assert cell.figure is not None, (table.id, row.label)
                assert cell.figure in declared


def test_the_related_offences_rows_carry_the_criminal_law_headings():
    table = next(t for t in _tables("justice", "lv") if t.id == "related_offences")
    labels = [row.label for row in table.rows]
    assert labels[3] == "KL 280. pants — personas nodarbināšanas noteikumu pārkāpšana"
    assert labels[4].startswith("KL 285.² pants — ļaunprātīga nodrošināšana ar iespēju")


def test_every_justice_figure_is_defined_in_words_and_placed_in_a_table():
    figures = [f for f in catalogue().values() if f.measure.startswith("justice.")]
    placed = {
        cell
        for chapter in get_profile().report_chapters
        for block in chapter.blocks
        if block.table
        for row in block.table.rows
        for cell in row.cells
    }
    for figure in figures:
        english, latvian = figure.definition.get("en"), figure.definition.get("lv")
        assert figure.id not in english and figure.id not in latvian
        assert english != latvian
        assert figure.id in placed, figure.id
        if figure.measure == "justice.persons":
            assert figure.unit == "persons"
        if figure.filter("value") in ("min_months", "max_months"):
            assert figure.unit == "months" and not figure.counts_persons


def _table(document: Document, table_id: str) -> Table:
    blocks = document.chapters[0].blocks
    return next(b for b in blocks if isinstance(b, Table) and b.id == table_id)


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
def test_the_2020_related_offences_table_equals_the_report():
    document = build_document(year=2020, language="lv", chapters=["justice"])
    table = _table(document, "related_offences")
    # Seed lines 1028-1054: started, sent to court, first instance, appeal, convicted.
    assert [[cell.value for cell in row.cells] for row in table.rows] == [
        [0, 1, 0, 0, 0],
        [6, 7, 5, 0, 9],
        [1, 1, 1, 3, 0],
        [0, 0, 0, 0, 0],
        [8, 4, 3, 0, 6],
    ]
    sentences = _table(document, "sentences")
    pimping = [cell.value for cell in sentences.rows[2].cells]
    # KL 165: conditional 1 to 6 years, one real 2 years with 2 years' probation, one
    # fine of 7 400 EUR.
    assert pimping == [8, 12, 72, 1, 24, 1, 1, 7400]
