"""The PDF's page layout on a long table: it breaks between rows, never inside one,
and its heading row repeats on every page (no database: a Document made by hand)."""

from __future__ import annotations

from pathlib import Path

from thb.reports.document import Cell, Chapter, Document, Row, Table
from thb.reports.formats import render
from thb.reports.tests.pdftext import page_texts

ROWS = 150


def _long_document() -> Document:
    table = Table(
        id="long",
        title="A long table",
        columns=["Alpha column", "Beta column"],
        rows=[
            Row(
                f"Row number {index} with a label long enough to wrap onto a second line "
                f"in the narrow label column of an A4 page (end of row {index})",
                [Cell(f"x.a{index}", index, 2020), Cell(f"x.b{index}", index * 1000, 2020)],
            )
            for index in range(1, ROWS + 1)
        ],
    )
    chapter = Chapter(id="long", number=1, title="Long chapter", topics=[], blocks=[table])
    return Document(
        year=2020,
        language="en",
        edition="public",
        title="Layout test",
        issuer="THB",
        chapters=[chapter],
        figures={},
        metadata={"generated_at": "2020-12-31T12:00:00+00:00"},
    )


def _page_texts(content: bytes, tmp_path: Path) -> list[str]:
    return page_texts(content)


def test_a_long_table_repeats_its_heading_and_keeps_rows_whole(tmp_path):
    pages = _page_texts(render(_long_document(), "pdf").content, tmp_path)
    with_rows = [page for page in pages if "Row number" in page]
    assert len(with_rows) >= 3  # the table spans several pages
    for page in with_rows:
        # The heading (its words may wrap in the narrow columns) is on every page.
        assert "Alpha" in page and "Beta" in page
    # Every row's label is whole on one page (its two lines are not split).
    for index in range(1, ROWS + 1):
        holders = [page for page in with_rows if f"Row number {index} with" in page]
        assert len(holders) == 1
        assert f"(end of row {index})" in holders[0]
    assert "150,000" in " ".join(pages)
