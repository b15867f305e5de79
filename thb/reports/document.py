"""The document model of the annual report: what the one renderer builds from the
layout (profile), the figures, the edition and the language, and what every format
(web page, standalone HTML, PDF, XLSX, CSV, JSON) serialises.

Values stay numbers here; formats format them (thb/reports/formatting.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Number = int | float
Edition = Literal["internal", "public"]
EDITIONS: tuple[Edition, ...] = ("internal", "public")

# Flags of a cell the public edition does not show. PRIMARY: a count of persons from 1
# to threshold - 1, shown as "<3"; SECONDARY: hidden only so that a primary cell cannot
# be worked out from published totals, shown as "c" (as Eurostat marks confidential
# cells). A hidden cell never shows a value, true or false.
PRIMARY = "primary"
SECONDARY = "secondary"


@dataclass
class Cell:
    figure: str | None
    value: Number | None
    year: int
    flag: str = ""
    # Where the figure rests on an aggregate return, its basis in words ("annual
    # average", "approximately"): the report marks such values.
    note: str = ""

    @property
    def hidden(self) -> bool:
        return bool(self.flag)


@dataclass
class Row:
    label: str
    cells: list[Cell]
    total: bool = False


@dataclass
class Table:
    id: str
    title: str
    columns: list[str]
    rows: list[Row]
    notes: list[str] = field(default_factory=list)
    row_total: bool = False
    column_total: bool = False
    # The columns added for earlier years (their count, at the end of each row).
    earlier_columns: int = 0

    @property
    def figure_cells(self) -> list[Cell]:
        return [cell for row in self.rows for cell in row.cells if cell.figure]

    def relations(self) -> list[tuple[Cell, list[Cell]]]:
        """(total, parts) pairs the layout guarantees: each row's last cell is the sum
        of the row's others (row_total); the total row is the sum of the rows above
        (column_total). Earlier-year columns are outside these sums."""
        width = len(self.columns) - self.earlier_columns
        out: list[tuple[Cell, list[Cell]]] = []
        body = [row for row in self.rows if not row.total]
        if self.row_total:
            for row in self.rows:
                cells = row.cells[:width]
                if all(cell.figure for cell in cells):
                    out.append((cells[-1], cells[:-1]))
        if self.column_total and self.rows[-1].total:
            total_row = self.rows[-1].cells[:width]
            for column, total in enumerate(total_row):
                parts = [row.cells[column] for row in body]
                if total.figure and all(cell.figure for cell in parts):
                    out.append((total, parts))
        return out


@dataclass
class Narrative:
    slot: str
    paragraphs: list[str]
    # Where the text comes from: "edited" (the coordinator's text), "draft" (compiled
    # from the institutions' accepted submissions), "" (nothing yet).
    source: str = ""
    contributors: list[str] = field(default_factory=list)


@dataclass
class Highlights:
    """Sentences of the summary written from figures, after disclosure control, so
    that the public edition never states a hidden value in words."""

    sentences: list[str]
    # The cells each sentence shows (this year's figure, then the previous year's when
    # given), so that the public edition hides them like table cells.
    cells: list[list[Cell]] = field(default_factory=list)


@dataclass
class Chart:
    id: str
    title: str
    kind: str
    table: Table
    alt: str = ""


Block = Narrative | Highlights | Table | Chart


@dataclass
class Chapter:
    id: str
    number: int
    title: str
    topics: list[str]
    blocks: list[Block]

    @property
    def tables(self) -> list[Table]:
        return [block for block in self.blocks if isinstance(block, Table)]


@dataclass
class Document:
    year: int
    language: str
    edition: Edition
    title: str
    issuer: str
    chapters: list[Chapter]
    # Every catalogue figure of the year; in the public edition a hidden count of
    # persons is None here too, with its flag in `flags`.
    figures: dict[str, Number | None]
    flags: dict[str, str] = field(default_factory=dict)
    threshold: int = 3
    earlier_years: list[int] = field(default_factory=list)
    metadata: dict[str, object] = field(default_factory=dict)

    @property
    def tables(self) -> list[Table]:
        return [table for chapter in self.chapters for table in chapter.tables]

    def chapter(self, chapter_id: str) -> Chapter:
        for chapter in self.chapters:
            if chapter.id == chapter_id:
                return chapter
        raise KeyError(chapter_id)
