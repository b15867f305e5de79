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
        narratives: Mapping[str, Narrative],
        years_with_records: set[int],
    ) -> None:
        self.year = year
        self.language = language
        self.edition = edition
        self.figures_of = figures_of
        self.narratives = narratives
        self.years_with_records = years_with_records
        self._figures: dict[int, Mapping[str, Number]] = {}
        self._notes: dict[int, Mapping[str, str]] = {}

    def figures(self, year: int) -> Mapping[str, Number]:
        if year not in self._figures:
            self._figures[year] = self.figures_of(year)
        return self._figures[year]

    def notes(self, year: int) -> Mapping[str, str]:
        """The basis of each figure of the year that rests on an aggregate return."""
        if year not in self._notes:
            with translation.override(self.language):
                self._notes[year] = aggregate_basis(year)
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
        earlier = self.earlier(spec.earlier_years)
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
        """The sentences are written by _write_highlights once the edition's figures
        are final (after disclosure control)."""
        return Highlights(sentences=[], figures=[item.figure for item in items])

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


def build_document(
    *,
    year: int,
    language: str,
    edition: Edition = "internal",
    chapters: list[str] | None = None,
    figures_of: FigureSource | None = None,
    narratives: NarrativeSource | None = None,
    years_with_records: set[int] | None = None,
) -> Document:
    """The report of `year` as a Document: every chapter of the layout (or those
    asked for), in the edition's form. The public edition passes disclosure control
    over all of its tables together."""
    from thb.reports import disclosure, editorial
    from thb.reports.years import record_years

    profile = get_profile()
    layout = profile.report
    figures_of = figures_of or compute_figures
    narratives = narratives or editorial.narratives
    if years_with_records is None:
        years_with_records = record_years()
    with translation.override(language):
        builder = _Builder(
            year=year,
            language=language,
            edition=edition,
            figures_of=figures_of,
            narratives=narratives(year, language),
            years_with_records=years_with_records,
        )
        wanted = chapters or layout.chapters
        built = [
            builder.chapter(number, profile.chapter(chapter_id))
            for number, chapter_id in enumerate(layout.chapters, start=1)
            if chapter_id in wanted
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
            earlier_years=builder.earlier(
                max(
                    (
                        t.earlier_years
                        for c in profile.report_chapters
                        for b in c.blocks
                        if (t := b.table)
                    ),
                    default=0,
                )
            ),
            metadata={
                "country": profile.country.code,
                "generated_at": timezone.now().isoformat(timespec="seconds"),
                "edition_label": _("public edition")
                if edition == "public"
                else _("internal edition"),
            },
        )
        if edition == "public":
            disclosure.protect_document(document)
        previous = _previous_year_figures(document, builder, figures_of, years_with_records)
        _write_highlights(document, previous)
    return document


Stated = tuple[Mapping[str, Number | None], Mapping[str, str]]


def _previous_year_figures(
    document: Document,
    builder: _Builder,
    figures_of: FigureSource,
    years_with_records: set[int],
) -> Stated | None:
    """The previous year's figures as this edition may state them (None when that
    year has no records): in the public edition, those of the previous year's public
    edition, whose hidden counts stay hidden."""
    previous = document.year - 1
    if previous not in years_with_records:
        return None
    if document.edition == "internal":
        return builder.figures(previous), {}
    earlier = build_document(
        year=previous,
        language=document.language,
        edition="public",
        figures_of=figures_of,
        narratives=lambda year, language: {},
        # One year back only: the earlier edition's own summary needs no comparison.
        years_with_records=years_with_records - {previous - 1},
    )
    return earlier.figures, earlier.flags


def _stated(value: Number | None, flag: str, document: Document) -> str:
    if flag:
        return formatting.flag_text(flag, document.threshold)
    return formatting.number(value, document.language)


def _write_highlights(document: Document, previous: Stated | None) -> None:
    texts = {
        item.figure: item.text
        for chapter in get_profile().report_chapters
        for block in chapter.blocks
        for item in block.highlights or []
    }
    for chapter in document.chapters:
        for block in chapter.blocks:
            if not isinstance(block, Highlights):
                continue
            block.sentences = []
            for figure_id in block.figures:
                flag = document.flags.get(figure_id, "")
                value = _stated(document.figures.get(figure_id), flag, document)
                text = texts[figure_id].get(document.language).format(value=value)
                if previous is not None:
                    figures, flags = previous
                    before = _stated(figures.get(figure_id), flags.get(figure_id, ""), document)
                    text += f" ({document.year - 1}: {before})"
                block.sentences.append(text)
