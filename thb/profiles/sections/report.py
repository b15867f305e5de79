"""The layout of the annual report (thb/profiles/<country>/report*.yaml).

`report` gives the title and the chapters in their order; `report_chapters` (in one
or several files, joined) defines each chapter: its narrative slots, highlights,
tables (rows x columns of figure ids) and charts. One renderer turns layout + figures
into every edition and format (thb/reports/builder.py).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from thb.profiles.schema_base import CodeStr, Label, Strict

# A label given in the profile's languages, or taken from a code list:
# "country:TJ" (ISO 3166, translated by django-countries), "<list>:<code>" for one
# of the profile's code lists (e.g. "exploitation_forms:labour") or
# "<section>.<list>:<code>" for a list of a domain's section (e.g.
# "activities.campaign_material_kinds:video").
LabelRef = Annotated[str, StringConstraints(pattern=r"^[a-z_]+(\.[a-z_]+)?:[A-Za-z0-9_.+]+$")]
FigureRef = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+(\.[a-zA-Z0-9_+]+)+$")]


class TableRow(Strict):
    label: Label | None = None
    label_from: LabelRef | None = None
    # Figure ids, one per column; null for a cell that has no figure.
    cells: list[FigureRef | None] = Field(min_length=1)
    total: bool = False

    @model_validator(mode="after")
    def _one_label(self) -> TableRow:
        if (self.label is None) == (self.label_from is None):
            raise ValueError("a row needs exactly one of label or label_from")
        return self


class TableSpec(Strict):
    id: CodeStr
    title: Label
    columns: list[Label] = Field(min_length=1)
    rows: list[TableRow] = Field(min_length=1)
    # The last column of every row is the sum of the row's other cells.
    row_total: bool = False
    # The row marked total (the last) is the sum of the rows above it, column by column.
    column_total: bool = False
    # Show the last column's figure for up to this many earlier years that have records.
    earlier_years: int = Field(default=0, ge=0, le=5)
    notes: list[Label] = Field(default_factory=list)

    @model_validator(mode="after")
    def _shape(self) -> TableSpec:
        for number, row in enumerate(self.rows, start=1):
            if len(row.cells) != len(self.columns):
                raise ValueError(
                    f"table {self.id}: row {number} has {len(row.cells)} cells for "
                    f"{len(self.columns)} columns"
                )
        if self.column_total and not self.rows[-1].total:
            raise ValueError(f"table {self.id}: column_total needs a last row marked total")
        return self


class Highlight(Strict):
    """One sentence of the summary: the figure's value in words, with the previous
    year's value in brackets when that year has records. `text` holds "{value}"."""

    figure: FigureRef
    text: Label


class ChartSpec(Strict):
    """A chart drawn from one of the chapter's tables: its rows are the categories and
    its columns the series (kind bar); kind line draws the table's earlier years."""

    id: CodeStr
    title: Label
    table: CodeStr
    kind: Literal["bar", "stacked_bar", "grouped_bar", "line"] = "bar"


class Block(Strict):
    narrative: CodeStr | None = None
    highlights: list[Highlight] | None = None
    table: TableSpec | None = None
    chart: ChartSpec | None = None

    @model_validator(mode="after")
    def _one(self) -> Block:
        kinds = [k for k in ("narrative", "highlights", "table", "chart") if getattr(self, k)]
        if len(kinds) != 1:
            raise ValueError("a block is exactly one of narrative, highlights, table, chart")
        return self


class ChapterSpec(Strict):
    id: CodeStr
    title: Label
    # The statistics pages that show this chapter (victims, support, justice,
    # activities); the reporting sections whose accepted narratives draft its text.
    topics: list[CodeStr] = Field(default_factory=list)
    sources: list[CodeStr] = Field(default_factory=list)
    blocks: list[Block] = Field(min_length=1)


class ReportLayout(Strict):
    title: Label
    chapters: list[CodeStr] = Field(min_length=1)
    # Counts of persons from 1 to threshold - 1 are not published.
    suppression_threshold: int = Field(default=3, ge=2, le=20)
