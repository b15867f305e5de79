"""The one renderer: layout (profile) + figures + edition + language -> Document.

Every edition and format of the annual report, and every statistics page, is built
here; formats only serialise the Document (thb/reports/formats/)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_countries import countries

from thb.core.registry import aggregate_basis
from thb.profiles import get_profile
from thb.profiles.sections.report import ChapterSpec, Highlight, TableRow, TableSpec
from thb.reports import formatting
from thb.reports.catalogue import compute_figures
from thb.reports.document import (
    Block,
    Cell,
    Chapter,
    Chart,
    Document,
    Edition,
    Highlights,
    Narrative,
    Number,
    Row,
    Table,
)

FigureSource = Callable[[int], Mapping[str, Number]]
NarrativeSource = Callable[[int, str], Mapping[str, Narrative]]
# notes_of(year) -> {figure id: basis in words} of the figures resting on aggregate returns.
NotesSource = Callable[[int], Mapping[str, str]]


def _no_notes(year: int) -> Mapping[str, str]:
    return {}


def label_of(reference: str, language: str) -> str:
    """A row label named by reference: "country:TJ" or "<code list>:<code>"."""
    kind, _colon, code = reference.partition(":")
    if kind == "country":
        with translation.override(language):
            return str(countries.name(code)) or code
    profile = get_profile()
    if "." in kind:
        section, _dot, name = kind.partition(".")
        return str(getattr(profile, section).label(name, code, language))
    return profile.label(kind, code, language)


def _row_label(row: TableRow, language: str) -> str:
    if row.label is not None:
        return row.label.get(language)
    assert row.label_from is not None
    return label_of(row.label_from, language)


class _Builder:
    def __init__(
        self,
        *,
        year: int,
        language: str,
        edition: Edition,
        figures_of: FigureSource,
        notes_of: NotesSource,
        narratives: Mapping[str, Narrative],
        years_with_records: set[int],
    ) -> None:
        self.year = year
        self.notes_of = notes_of
        self.language = language
        self.edition = edition
        self.figures_of = figures_of
        self.narratives = narratives
        self.years_with_records = years_with_records
        self._figures: dict[int, Mapping[str, Number]] = {}
        self._notes: dict[int, Mapping[str, str]] = {}
        self.highlight_blocks: list[tuple[Highlights, list[Highlight]]] = []

    def figures(self, year: int) -> Mapping[str, Number]:
        if year not in self._figures:
            self._figures[year] = self.figures_of(year)
        return self._figures[year]

    def notes(self, year: int) -> Mapping[str, str]:
        """The basis of each figure of the year that rests on an aggregate return."""
        if year not in self._notes:
            with translation.override(self.language):
                self._notes[year] = self.notes_of(year)
        return self._notes[year]

    def earlier(self, count: int) -> list[int]:
        """Up to `count` earlier years that have records, oldest first."""
        years = [y for y in range(self.year - count, self.year) if y in self.years_with_records]
        return years

    def cell(self, figure_id: str | None, year: int) -> Cell:
        if figure_id is None:
            return Cell(figure=None, value=None, year=year)
        return Cell(
            figure=figure_id,
            value=self.figures(year).get(figure_id, 0),
            year=year,
            note=self.notes(year).get(figure_id, ""),
        )

    def table(self, spec: TableSpec) -> Table:
        language = self.language
        # An earlier year shows where the table has something to compare: a year with
        # records elsewhere (proceedings, say) but none of this table's is left out.
        ids = [figure_id for row in spec.rows for figure_id in row.cells if figure_id]
        earlier = [
            year
            for year in self.earlier(spec.earlier_years)
            if any(self.figures(year).get(figure_id, 0) for figure_id in ids)
        ]
        columns = [column.get(language) for column in spec.columns]
        columns += [str(year) for year in earlier]
        rows = []
        for row in spec.rows:
            cells = [self.cell(figure_id, self.year) for figure_id in row.cells]
            last = row.cells[-1]
            cells += [self.cell(last, year) for year in earlier]
            rows.append(Row(label=_row_label(row, language), cells=cells, total=row.total))
        return Table(
            id=spec.id,
            title=spec.title.get(language),
            columns=columns,
            rows=rows,
            notes=[note.get(language) for note in spec.notes],
            row_total=spec.row_total,
            column_total=spec.column_total,
            earlier_columns=len(earlier),
        )

    def highlights(self, items: list[Highlight]) -> Highlights:
        previous = self.year - 1
        cells = []
        for item in items:
            shown = [self.cell(item.figure, self.year)]
            if previous in self.years_with_records:
                shown.append(self.cell(item.figure, previous))
            cells.append(shown)
        # The sentences are written once the edition is complete (and protected):
        # render_highlights.
        block = Highlights(sentences=[], cells=cells)
        self.highlight_blocks.append((block, items))
        return block

    def chapter(self, number: int, spec: ChapterSpec) -> Chapter:
        blocks: list[Block] = []
        tables: dict[str, Table] = {}
        for block in spec.blocks:
            if block.narrative:
                blocks.append(
                    self.narratives.get(
                        f"{spec.id}.{block.narrative}", Narrative(block.narrative, [])
                    )
                )
            elif block.highlights:
                blocks.append(self.highlights(block.highlights))
            elif block.table:
                table = self.table(block.table)
                tables[table.id] = table
                blocks.append(table)
            elif block.chart:
                blocks.append(
                    Chart(
                        id=block.chart.id,
                        title=block.chart.title.get(self.language),
                        kind=block.chart.kind,
                        table=tables[block.chart.table],
                    )
                )
        return Chapter(
            id=spec.id,
            number=number,
            title=spec.title.get(self.language),
            topics=list(spec.topics),
            blocks=blocks,
        )


def render_highlights(
    block: Highlights, items: list[Highlight], language: str, *, threshold: int
) -> None:
    """Write the sentences of a highlights block from its cells (a hidden cell shows
    its flag, as in a table)."""
    block.sentences = []
    for item, cells in zip(items, block.cells, strict=True):
        text = item.text.get(language).format(
            value=formatting.cell_text(cells[0], language, threshold)
        )
        if len(cells) > 1:
            text += f" ({cells[1].year}: {formatting.cell_text(cells[1], language, threshold)})"
        block.sentences.append(text)


def _public_flags_of_years(
    years: set[int], *, language: str, figures_of: FigureSource
) -> dict[int, dict[str, str]]:
    """The flags of each year's own public edition, by figure id: a figure of an
    earlier year that the document shows (earlier-year columns, highlights) is hidden
    exactly as that year's edition hides it, so that two editions together reveal no
    more than one."""
    from thb.reports import disclosure

    out: dict[int, dict[str, str]] = {}
    for other in sorted(years):
        document = build_document(
            year=other,
            language=language,
            edition="internal",
            figures_of=figures_of,
            narratives=lambda _year, _language: {},
            years_with_records=set(),
        )
        out[other] = {
            figure: flag
            for (figure, year), flag in disclosure.flags_of(document).items()
            if year == other
        }
    return out


def build_document(
    *,
    year: int,
    language: str,
    edition: Edition = "internal",
    chapters: list[str] | None = None,
    figures_of: FigureSource | None = None,
    notes_of: NotesSource | None = None,
    narratives: NarrativeSource | None = None,
    years_with_records: set[int] | None = None,
) -> Document:
    """The report of `year` as a Document: every chapter of the layout (or those
    asked for), in the edition's form. The public edition passes disclosure control
    over all of its tables together.

    By default the figures and the notes on aggregate returns come from the records;
    figures given from elsewhere (a frozen version, a test) come without notes unless
    `notes_of` is given too."""
    from thb.reports import disclosure, editorial
    from thb.reports.years import record_years

    profile = get_profile()
    layout = profile.report
    if notes_of is None:
        notes_of = aggregate_basis if figures_of is None else _no_notes
    figures_of = _memo(figures_of or compute_figures)
    narratives = narratives or editorial.narratives
    if years_with_records is None:
        years_with_records = record_years()
    with translation.override(language):
        builder = _Builder(
            year=year,
            language=language,
            edition=edition,
            figures_of=figures_of,
            notes_of=notes_of,
            narratives=narratives(year, language),
            years_with_records=years_with_records,
        )
        wanted = chapters or layout.chapters
        # The public edition is protected as a whole even when only some chapters are
        # asked for: every page then shows a figure the same way, and two pages
        # together reveal no more than the edition.
        specs = [profile.chapter(chapter_id) for chapter_id in layout.chapters]
        built = [
            builder.chapter(number, spec)
            for number, spec in enumerate(specs, start=1)
            if edition == "public" or spec.id in wanted
        ]
        document = Document(
            year=year,
            language=language,
            edition=edition,
            title=layout.title.get(language),
            issuer=profile.country.coordinator.get(language),
            chapters=built,
            figures=dict(builder.figures(year)),
            threshold=layout.suppression_threshold,
            earlier_years=builder.earlier(_most_earlier_years()),
            metadata={
                "country": profile.country.code,
                "generated_at": timezone.now().isoformat(timespec="seconds"),
                "edition_label": _("public edition")
                if edition == "public"
                else _("internal edition"),
            },
        )
        if edition == "public":
            shown = {cell.year for cell in disclosure.document_cells(document)} - {year}
            disclosure.protect_document(
                document,
                earlier=_public_flags_of_years(shown, language=language, figures_of=figures_of),
            )
            document.chapters = [c for c in document.chapters if c.id in wanted]
        for block, items in builder.highlight_blocks:
            render_highlights(block, items, language, threshold=document.threshold)
    return document


def _most_earlier_years() -> int:
    """The most earlier years a table of the report compares with."""
    profile = get_profile()
    return max(
        (t.earlier_years for c in profile.report_chapters for b in c.blocks if (t := b.table)),
        default=0,
    )


def years_read(year: int, years_with_records: set[int]) -> set[int]:
    """The years whose figures the report of `year` reads: the year, the earlier years
    with records its tables compare with, and the previous year its highlights show
    (when it has records). A figure source computes them together (catalogue.YearsFigures)."""
    earlier = range(year - _most_earlier_years(), year)
    return (
        {year} | {y for y in earlier if y in years_with_records} | ({year - 1} & years_with_records)
    )


def _memo(figures_of: FigureSource) -> FigureSource:
    """`figures_of` computing each year once per build (earlier years are asked for
    by several tables and by the protection of the earlier editions)."""
    cache: dict[int, Mapping[str, Number]] = {}

    def figures(year: int) -> Mapping[str, Number]:
        if year not in cache:
            cache[year] = figures_of(year)
        return cache[year]

    return figures
