"""The report as HTML: one markup (templates reports/_document.html and
reports/blocks/_*.html) inside THB's pages and as the standalone HTML file, which
the PDF is printed from.

`document_view(document)` prepares what the templates show (numbers formatted for the
document's language, flags, explanation links, charts as SVG); the templates only lay
it out. In the internal edition every figure cell links to the figure's explanation:
the catalogue page (/reports/catalogue/#<figure id>) inside THB, or the document's own
appendix of definitions in the standalone file and the PDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from thb.reports import formatting
from thb.reports.catalogue import Explanation, catalogue, explain
from thb.reports.charts import render_chart
from thb.reports.document import (
    PRIMARY,
    Cell,
    Chapter,
    Chart,
    Document,
    Highlights,
    Narrative,
    Table,
)
from thb.reports.formats.tabular import (
    edition_label,
    flag_text,
    generated_on,
    has_hidden,
    legend,
)

STYLESHEETS = ("reports/report.css", "reports/report-print.css")


@dataclass
class CellView:
    text: str
    figure: str | None = None
    flag: str = ""
    href: str = ""
    title: str = ""
    note: str = ""

    @property
    def numeric(self) -> bool:
        return self.figure is not None


@dataclass
class RowView:
    label: str
    cells: list[CellView]
    total: bool


@dataclass
class TableView:
    id: str
    number: str
    caption: str
    columns: list[str]
    # Index of the first earlier-year column (len(columns) when there is none).
    earlier_from: int
    rows: list[RowView]
    notes: list[str]
    hidden: bool

    @property
    def anchor(self) -> str:
        return f"table-{self.id}"


@dataclass
class ChartView:
    id: str
    number: str
    caption: str
    svg: SafeString
    alt: str
    table: str  # anchor of the table the chart draws

    @property
    def anchor(self) -> str:
        return f"chart-{self.id}"


@dataclass
class BlockView:
    kind: str  # narrative | highlights | table | chart: names the template
    narrative: Narrative | None = None
    highlights: Highlights | None = None
    table: TableView | None = None
    chart: ChartView | None = None

    @property
    def template(self) -> str:
        return f"reports/blocks/_{self.kind}.html"


@dataclass
class ChapterView:
    id: str
    number: int
    title: str
    blocks: list[BlockView]

    @property
    def anchor(self) -> str:
        return f"chapter-{self.id}"


@dataclass
class DocumentView:
    document: Document
    chapters: list[ChapterView]
    edition_label: str
    generated_on: str
    legend: list[tuple[str, str]]
    show_legend: bool
    explain_url: str
    # The definitions appendix: when figure cells link inside the document.
    explanations: list[Explanation] = field(default_factory=list)

    @property
    def internal(self) -> bool:
        return self.document.edition == "internal"


def catalogue_url() -> str:
    """The catalogue page's address, where THB has one; "" otherwise."""
    try:
        return reverse("reports:catalogue")
    except NoReverseMatch:
        return ""


class _Viewer:
    def __init__(self, document: Document, explain_url: str) -> None:
        self.document = document
        self.language = document.language
        self.explain_url = explain_url
        self.internal = document.edition == "internal"
        self.declared = catalogue() if self.internal else {}
        self.figures_shown: dict[str, None] = {}

    def cell(self, cell: Cell) -> CellView:
        document = self.document
        if cell.flag:
            meaning = dict(legend(document))[flag_text(cell.flag, document.threshold)]
            return CellView(
                text=flag_text(cell.flag, document.threshold),
                figure=cell.figure,
                flag="primary" if cell.flag == PRIMARY else "secondary",
                title=meaning,
            )
        view = CellView(
            text=formatting.number(cell.value, self.language), figure=cell.figure, note=cell.note
        )
        if self.internal and cell.figure and cell.figure in self.declared:
            self.figures_shown[cell.figure] = None
            view.href = f"{self.explain_url}#{cell.figure}"
            definition = self.declared[cell.figure].definition.get(self.language)
            view.title = definition
            if cell.year != document.year:
                view.title = f"{cell.year}. {view.title}"
        return view

    def table(self, chapter: Chapter, table: Table, number: int) -> TableView:
        width = len(table.columns) - table.earlier_columns
        return TableView(
            id=table.id,
            number=f"{chapter.number}.{number}",
            caption=table.title,
            columns=table.columns,
            earlier_from=width,
            rows=[
                RowView(row.label, [self.cell(cell) for cell in row.cells], row.total)
                for row in table.rows
            ],
            notes=table.notes,
            hidden=has_hidden(table),
        )

    def chart(self, chapter: Chapter, chart: Chart, number: int) -> ChartView:
        image = render_chart(chart, language=self.language, threshold=self.document.threshold)
        return ChartView(
            id=chart.id,
            number=f"{chapter.number}.{number}",
            caption=chart.title,
            svg=mark_safe(image.svg),  # noqa: S308  (built by charts.py; texts escaped by ElementTree)
            alt=image.alt,
            table=f"table-{chart.table.id}",
        )

    def chapter(self, chapter: Chapter) -> ChapterView:
        blocks: list[BlockView] = []
        tables = charts = 0
        for block in chapter.blocks:
            if isinstance(block, Table):
                tables += 1
                blocks.append(BlockView("table", table=self.table(chapter, block, tables)))
            elif isinstance(block, Chart):
                charts += 1
                blocks.append(BlockView("chart", chart=self.chart(chapter, block, charts)))
            elif isinstance(block, Highlights):
                if block.sentences:
                    blocks.append(BlockView("highlights", highlights=block))
            elif block.paragraphs:
                blocks.append(BlockView("narrative", narrative=block))
        return ChapterView(chapter.id, chapter.number, chapter.title, blocks)


def document_view(
    document: Document,
    *,
    chapters: list[str] | None = None,
    explain_url: str | None = None,
) -> DocumentView:
    """What the templates show of `document` (or of the chapters named). Figure cells
    of the internal edition link to `explain_url` + "#<figure id>": by default the
    catalogue page, or, where THB has none, the document's appendix ("")."""
    if explain_url is None:
        explain_url = catalogue_url()
    with translation.override(document.language):
        viewer = _Viewer(document, explain_url)
        shown = [c for c in document.chapters if chapters is None or c.id in chapters]
        chapter_views = [viewer.chapter(chapter) for chapter in shown]
        explanations = []
        if viewer.internal and not explain_url:
            explanations = [explain(figure, document.language) for figure in viewer.figures_shown]
        return DocumentView(
            document=document,
            chapters=chapter_views,
            edition_label=edition_label(document),
            generated_on=generated_on(document),
            legend=legend(document),
            show_legend=document.edition == "public",
            explain_url=explain_url,
            explanations=explanations,
        )


def stylesheet_text() -> str:
    """The report's screen and print stylesheets, for the standalone file (a
    downloaded file is not under the site's Content Security Policy)."""
    parts = []
    for name in STYLESHEETS:
        path = finders.find(name)
        if not path:
            raise FileNotFoundError(f"static file {name} is missing")
        with open(str(path), encoding="utf-8") as handle:
            parts.append(handle.read())
    return "\n".join(parts)


def render_standalone(document: Document) -> str:
    """The whole document as one HTML file: title page, contents, chapters, the
    legend (public) or the definitions of its figures (internal), styles inside."""
    view = document_view(document, explain_url="")
    with translation.override(document.language):
        return render_to_string(
            "reports/standalone.html",
            {
                "report": view,
                "standalone": True,
                "stylesheet": mark_safe(stylesheet_text()),  # noqa: S308  (our static file)
                "page_label": _("Page"),
            },
        )
