"""The proof of the public edition's disclosure control: an attacker.

`attack(document)` reads only what the public edition publishes (cell values, flags,
the tables' shapes, the figures map) and knows only the structure any reader knows:
counts are non-negative integers, a table marked row_total has each row's last cell
as the sum of its others, a table marked column_total has its total row as the sum
of the rows above, and the same figure of the same year is one value wherever it
stands. For every hidden cell it solves the smallest and the largest value with
HiGHS (integer programs over all published cells together). It shares no code or
state with the protector (thb/reports/disclosure.py).
"""

from __future__ import annotations

import copy
import dataclasses
import time
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from thb.lib.disclosure import suppress_counts
from thb.reports.builder import build_document
from thb.reports.catalogue import catalogue, compute_figures
from thb.reports.disclosure import protect_document
from thb.reports.document import (
    PRIMARY,
    SECONDARY,
    Cell,
    Chapter,
    Document,
    Edition,
    Highlights,
    Row,
    Table,
)
from thb.reports.reference import reference_figures

Key = tuple[str, int]
Sum = tuple[Key, Sequence[Key]]

GROUPS = ("men", "women", "minors")
COUNTRIES = ("TJ", "LV", "IN", "UZ")


# --- the attacker ---------------------------------------------------------------


def _published(document: Document) -> tuple[dict[Key, float], set[Key]]:
    """What the document shows: known values and hidden keys."""
    known: dict[Key, float] = {}
    hidden: set[Key] = set()

    def see(key: Key, value: object, flag: str) -> None:
        if flag or value is None:
            hidden.add(key)
        else:
            assert isinstance(value, int | float)
            known[key] = float(value)

    for figure, value in document.figures.items():
        see((figure, document.year), value, document.flags.get(figure, ""))
    for chapter in document.chapters:
        for block in chapter.blocks:
            cells: list[Cell] = []
            if isinstance(block, Table):
                cells = [cell for row in block.rows for cell in row.cells]
            elif isinstance(block, Highlights):
                cells = [cell for sentence in block.cells for cell in sentence]
            for cell in cells:
                if cell.figure:
                    see((cell.figure, cell.year), cell.value, cell.flag)
    return known, hidden - set(known)


def _key(cell: Cell) -> Key:
    assert cell.figure is not None
    return (cell.figure, cell.year)


def _structure(document: Document) -> list[Sum]:
    """Row and column sums, read from the tables' shapes."""
    sums: list[Sum] = []
    for table in document.tables:
        width = len(table.columns) - table.earlier_columns
        grid = [row.cells[:width] for row in table.rows]
        if table.row_total:
            for cells in grid:
                if all(cell.figure for cell in cells):
                    sums.append((_key(cells[-1]), [_key(c) for c in cells[:-1]]))
        if table.column_total and table.rows[-1].total:
            body = [cells for row, cells in zip(table.rows, grid, strict=True) if not row.total]
            for column, total in enumerate(grid[-1]):
                parts = [cells[column] for cells in body]
                if total.figure and all(cell.figure for cell in parts):
                    sums.append((_key(total), [_key(c) for c in parts]))
    return sums


def attack(
    document: Document,
    *,
    known_sums: Iterable[Sum] = (),
    marks: bool = False,
    hide_more: Iterable[Key] = (),
) -> dict[Key, tuple[float, float]]:
    """The feasible interval of every hidden cell that stands in a sum (a hidden cell
    in no sum can be anything from 0 up).

    marks: the reader also knows what the marks mean: "<3" is 1 to threshold - 1, "c"
    at least the threshold (a cell that could have been published); then only the
    "<3" cells are attacked. hide_more: published cells to treat as "c" too."""
    known, hidden = _published(document)
    extra = set(hide_more)
    known = {key: value for key, value in known.items() if key not in extra}
    hidden |= extra
    threshold = document.threshold
    small = {key for key, flag in _flags(document).items() if flag == PRIMARY}
    sums = [*_structure(document), *known_sums]
    unknowns = sorted({key for total, parts in sums for key in (total, *parts) if key in hidden})
    index = {key: i for i, key in enumerate(unknowns)}
    rows, rhs = [], []
    for total, parts in sums:
        row = np.zeros(len(unknowns))
        constant = 0.0
        for key, sign in [(total, 1.0), *((part, -1.0) for part in parts)]:
            if key in index:
                row[index[key]] += sign
            else:
                constant -= sign * known[key]
        if row.any():
            rows.append(row)
            rhs.append(constant)
        else:
            assert abs(constant) < 1e-9, f"published cells break the sum of {total}"
    out: dict[Key, tuple[float, float]] = {}
    if not unknowns:
        return out
    if marks:
        lower = [1.0 if key in small else float(threshold) for key in unknowns]
        upper = [threshold - 1.0 if key in small else np.inf for key in unknowns]
    else:
        lower, upper = [0.0] * len(unknowns), [np.inf] * len(unknowns)
    full, vector = np.array(rows), np.array(rhs)
    # Unknowns linked by no sum do not constrain each other: solve each group of
    # linked unknowns on its own (the answers are the same, only faster).
    group = list(range(len(unknowns)))

    def find(i: int) -> int:
        while group[i] != i:
            group[i] = group[group[i]]
            i = group[i]
        return i

    for row in full:
        members = np.flatnonzero(row)
        for other in members[1:]:
            group[find(int(other))] = find(int(members[0]))
    for key, i in index.items():
        if marks and key not in small:
            continue
        columns = [j for j in range(len(unknowns)) if find(j) == find(i)]
        used = [r for r in range(len(full)) if full[r, columns].any()]
        matrix = full[np.ix_(used, columns)]
        equal = LinearConstraint(matrix, vector[used], vector[used])
        box = Bounds([lower[j] for j in columns], [upper[j] for j in columns])
        c = np.zeros(len(columns))
        c[columns.index(i)] = 1.0
        ones = np.ones(len(columns))
        low = milp(c, integrality=ones, bounds=box, constraints=equal)
        assert low.status == 0, f"{key}: {low.message}"
        high = milp(-c, integrality=ones, bounds=box, constraints=equal)
        if high.status == 0:
            out[key] = (low.fun, -high.fun)
        else:
            relaxed = linprog(
                -c,
                A_eq=matrix,
                b_eq=vector[used],
                bounds=[(lower[j], None if upper[j] == np.inf else upper[j]) for j in columns],
                method="highs",
            )
            assert relaxed.status == 3, f"{key}: {high.message}"
            out[key] = (low.fun, float("inf"))
    return out


def _flags(document: Document) -> dict[Key, str]:
    flags = {(figure, document.year): flag for figure, flag in document.flags.items()}
    for cell in _all_cells(document):
        if cell.figure and cell.flag:
            flags[(cell.figure, cell.year)] = cell.flag
    return flags


def narrow(intervals: Mapping[Key, tuple[float, float]], threshold: int) -> dict:
    return {key: (lo, hi) for key, (lo, hi) in intervals.items() if hi - lo < threshold - 1e-6}


# --- layouts for the tests: the seed's victims tables, and today's public page -------


def _cell(figures: Mapping[str, int], figure: str, year: int) -> Cell:
    return Cell(figure=figure, value=figures.get(figure, 0), year=year)


def _document(tables: list[Table], figures: Mapping[str, int], year: int) -> Document:
    return Document(
        year=year,
        language="en",
        edition="internal",
        title="test",
        issuer="test",
        chapters=[Chapter(id="victims", number=1, title="", topics=[], blocks=list(tables))],
        figures=dict(figures),
        threshold=3,
    )


def seed_document(figures: Mapping[str, int], year: int = 2020) -> Document:
    """The seed's victims tables: the headline (men, women, minors, total) and the
    citizenship grid with its total row, whose cells are the headline's figures."""
    headline = Table(
        id="victims_overview",
        title="identified",
        columns=[*GROUPS, "total"],
        rows=[
            Row(
                "identified",
                [_cell(figures, f"victims.identified.{g}", year) for g in GROUPS]
                + [_cell(figures, "victims.identified", year)],
            )
        ],
        row_total=True,
    )
    grid = Table(
        id="victims_citizenship",
        title="by citizenship",
        columns=[*GROUPS, "total"],
        rows=[
            Row(
                country,
                [_cell(figures, f"victims.citizenship.{g}.{country}", year) for g in GROUPS]
                + [_cell(figures, f"victims.citizenship.{country}", year)],
            )
            for country in COUNTRIES
        ]
        + [
            Row(
                "total",
                [_cell(figures, f"victims.identified.{g}", year) for g in GROUPS]
                + [_cell(figures, "victims.identified", year)],
                total=True,
            )
        ],
        row_total=True,
        column_total=True,
    )
    return _document([headline, grid], figures, year)


def old_page_document(figures: Mapping[str, int], year: int = 2020) -> Document:
    """Today's public page (reports/selectors.victim_tables): a one-column headline
    table and the citizenship table with a row-total column and no total row."""
    headline = Table(
        id="victims",
        title="Victims",
        columns=["number"],
        rows=[
            Row(figure, [_cell(figures, figure, year)])
            for figure in (
                "victims.assessed",
                "victims.identified",
                *(f"victims.identified.{g}" for g in GROUPS),
            )
        ],
    )
    grid = Table(
        id="citizenship",
        title="By citizenship",
        columns=[*GROUPS, "total"],
        rows=[
            Row(
                country,
                [_cell(figures, f"victims.citizenship.{g}.{country}", year) for g in GROUPS]
                + [_cell(figures, f"victims.citizenship.{country}", year)],
            )
            for country in COUNTRIES
        ],
        row_total=True,
    )
    return _document([headline, grid], figures, year)


def definition_sums(year: int = 2020) -> list[Sum]:
    """Sums every reader knows from the definitions, which today's page does not lay
    out: the groups make the total, and the citizenship columns make the groups."""
    identified = ("victims.identified", year)
    return [
        (identified, [(f"victims.identified.{g}", year) for g in GROUPS]),
        (identified, [(f"victims.citizenship.{c}", year) for c in COUNTRIES]),
        *(
            (
                (f"victims.identified.{g}", year),
                [(f"victims.citizenship.{g}.{c}", year) for c in COUNTRIES],
            )
            for g in GROUPS
        ),
    ]


def old_protection(document: Document) -> Document:
    """Today's algorithm, as reports/selectors.public_tables ran it: each table on
    its own, every column a group (and every row, with a row-total column),
    thb.lib.disclosure.suppress_counts; every hidden cell shown as "<3"."""
    published = copy.deepcopy(document)
    published.edition = "public"
    for table in published.tables:
        cells = {
            f"{r}:{c}": cell.value
            for r, row in enumerate(table.rows)
            for c, cell in enumerate(row.cells)
            if isinstance(cell.value, int)
        }
        by_column: dict[int, list[str]] = {}
        by_row: dict[int, list[str]] = {}
        for key in cells:
            by_row.setdefault(int(key.split(":")[0]), []).append(key)
            by_column.setdefault(int(key.split(":")[1]), []).append(key)
        groups = list(by_column.values()) + (list(by_row.values()) if table.row_total else [])
        safe = suppress_counts(cells, threshold=document.threshold, groups=groups)
        for r, row in enumerate(table.rows):
            for c, cell in enumerate(row.cells):
                if f"{r}:{c}" in safe and safe[f"{r}:{c}"] is None:
                    cell.value, cell.flag = None, PRIMARY
    # Today's page publishes no figures map: only its tables.
    published.figures = {}
    return published


def public(document: Document, **kwargs: object) -> Document:
    published = copy.deepcopy(document)
    published.edition = "public"
    protect_document(published, **kwargs)  # type: ignore[arg-type]
    return published


def figures_2020() -> dict[str, int]:
    return {k: int(v) for k, v in reference_figures("victims.").items()}


# --- properties every public edition must have -----------------------------------


def assert_safe(published: Document, *, known_sums: Iterable[Sum] = ()) -> None:
    """Every hidden cell's interval is at least the threshold wide, and a reader who
    knows what the marks mean learns nothing more about a "<3" cell than "<3",
    except where the marks alone tell it (every count around it hidden too)."""
    sums = list(known_sums)
    threshold = published.threshold
    intervals = attack(published, known_sums=sums)
    assert narrow(intervals, threshold) == {}
    with_marks = attack(published, known_sums=sums, marks=True)
    narrowed = {key for key, interval in with_marks.items() if interval != (1, threshold - 1)}
    if narrowed:
        known, _hidden = _published(published)
        declared = catalogue()
        structure = [*_structure(published), *sums]
        in_sums = {key for total, parts in structure for key in (total, *parts)}
        countable = {
            key
            for key, value in known.items()
            if key in in_sums
            and value > 0
            and (key[0] not in declared or declared[key[0]].counts_persons)
        }
        everything = attack(published, known_sums=sums, marks=True, hide_more=countable)
        assert {key: with_marks[key] for key in narrowed} == {
            key: everything[key] for key in narrowed
        }


def assert_true_or_hidden(internal: Document, published: Document) -> None:
    """No false value: every public cell shows the internal value or nothing, with a
    flag; a primary flag marks exactly a count from 1 to threshold - 1."""
    for mine, theirs in zip(_all_cells(internal), _all_cells(published), strict=True):
        assert (mine.figure, mine.year) == (theirs.figure, theirs.year)
        if theirs.flag:
            assert theirs.value is None
            assert theirs.flag in (PRIMARY, SECONDARY)
            if theirs.flag == PRIMARY:
                assert 0 < mine.value < published.threshold  # type: ignore[operator]
        else:
            assert theirs.value == mine.value
    for figure, value in published.figures.items():
        if figure in published.flags:
            assert value is None
        else:
            assert value == internal.figures[figure]
    # Nothing else in the serialised document carries a hidden figure's value.
    data = dataclasses.asdict(published)
    hidden = {figure for figure, flag in published.flags.items() if flag}
    _no_hidden_value(data, hidden)


def _all_cells(document: Document) -> list[Cell]:
    cells = [cell for table in document.tables for row in table.rows for cell in row.cells]
    for chapter in document.chapters:
        for block in chapter.blocks:
            if isinstance(block, Highlights):
                cells += [cell for sentence in block.cells for cell in sentence]
    return cells


def _no_hidden_value(data: object, hidden: set[str]) -> None:
    if isinstance(data, dict):
        if data.get("flag"):
            assert data.get("value") is None, data
        for key, value in data.items():
            if key == "flags":
                continue
            if key in hidden:
                assert value is None, (key, value)
            _no_hidden_value(value, hidden)
    elif isinstance(data, list | tuple):
        for item in data:
            _no_hidden_value(item, hidden)


# --- today's attack, reproduced ----------------------------------------------------


def test_todays_algorithm_lets_the_attacker_recover_women_12_and_the_new_one_does_not():
    figures = figures_2020()
    assert figures["victims.identified.women"] == 12  # the seed's figure
    page = old_page_document(figures)
    sums = definition_sums()

    old = old_protection(page)
    shown = {row.label: row.cells[0] for row in old.tables[0].rows}
    assert shown["victims.identified.women"].flag  # "women: <3" on today's page
    recovered = attack(old, known_sums=sums)
    assert recovered[("victims.identified.women", 2020)] == (12, 12)
    assert recovered[("victims.identified.minors", 2020)] == (2, 2)
    assert recovered[("victims.citizenship.minors.LV", 2020)] == (2, 2)
    assert recovered[("victims.citizenship.men.LV", 2020)] == (3, 3)

    new = public(page, relations=[(total, tuple(parts)) for total, parts in sums])
    intervals = attack(new, known_sums=sums)
    assert ("victims.identified.women", 2020) in intervals  # hidden, and in a sum
    assert narrow(intervals, 3) == {}
    assert_safe(new, known_sums=sums)
    low, high = intervals[("victims.identified.women", 2020)]
    assert high - low >= 3
    assert_true_or_hidden(page, new)
    # Cells hidden only to protect others are marked as such, never as "<3".
    flags = {cell.figure: cell.flag for cell in _all_cells(new) if cell.flag}
    assert flags["victims.identified.women"] == SECONDARY
    assert flags["victims.identified.minors"] == PRIMARY


def test_the_seed_layout_is_attacked_through_its_shared_totals_and_resists():
    figures = figures_2020()
    document = seed_document(figures)
    # Today's algorithm, one table at a time, on the seed's layout: the citizenship
    # grid shows what the headline hides, and Latvian men (3) are worked out.
    old = attack(old_protection(document))
    assert narrow(old, 3)
    assert old[("victims.citizenship.men.LV", 2020)] == (3, 3)

    new = public(document)
    assert_safe(new)
    assert_true_or_hidden(document, new)
    flags = {(cell.figure, cell.year): cell.flag for cell in _all_cells(new)}
    # One figure, one flag, in both tables.
    assert flags[("victims.identified.minors", 2020)] == PRIMARY
    assert all(
        cell.flag == flags[(cell.figure, cell.year)] for cell in _all_cells(new) if cell.figure
    )


def test_a_reader_who_knows_the_marks_cannot_narrow_a_small_count():
    # 1 + 3 = 4: hiding the 3 ("c") alone would give 1 exactly to a reader who knows
    # that "c" is at least 3 and "<3" at least 1 (4 - 3 = 1): the 4 goes too.
    figures = {"x.a": 1, "x.b": 3, "x.t": 4}
    table = Table(
        id="t",
        title="t",
        columns=["a", "b", "t"],
        rows=[Row("r", [Cell(figure=f, value=v, year=2020) for f, v in figures.items()])],
        row_total=True,
    )
    published = public(_document([table], figures, 2020))
    assert published.flags == {"x.a": PRIMARY, "x.b": SECONDARY, "x.t": SECONDARY}
    assert attack(published, marks=True) == {("x.a", 2020): (1, 2)}
    assert_safe(published)


# --- the 2020 demo ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
def test_the_2020_demo_public_edition_resists_the_attack():
    internal = build_document(year=2020, language="en", edition="internal")
    published = build_document(year=2020, language="en", edition="public")
    # The protection itself is fast (some 10 ms here; the bound leaves room for a
    # loaded machine).
    started = time.perf_counter()
    protect_document(copy.deepcopy(internal))
    assert time.perf_counter() - started < 2.0
    assert published.flags  # the demo has small counts
    assert_safe(published)
    assert_true_or_hidden(internal, published)
    women = [
        cell
        for cell in _all_cells(published)
        if cell.figure == "victims.identified.women" and cell.year == 2020
    ]
    assert women and all(cell.value is None for cell in women)
    # No sentence of the summary shows a hidden figure's value.
    summary = [b for c in published.chapters for b in c.blocks if isinstance(b, Highlights)]
    for block in summary:
        for sentence, cells in zip(block.sentences, block.cells, strict=True):
            if cells[0].flag == PRIMARY:
                assert "<3" in sentence

    # The seed's victims tables over the demo's figures (the full citizenship grid).
    figures = compute_figures(2020)
    seed = seed_document({k: int(v) for k, v in figures.items() if k.startswith("victims.")})
    protected = public(seed)
    assert_safe(protected)
    assert_true_or_hidden(seed, protected)


# --- generated years ----------------------------------------------------------------


def consistent(keys: Sequence[Key], sums: Sequence[Sum], targets: Sequence[int]) -> dict[Key, int]:
    """Non-negative integers for `keys` that satisfy every sum, as close as possible
    (L1) to the drawn targets: a random year that any layout's sums hold on."""
    n = len(keys)
    index = {key: i for i, key in enumerate(keys)}
    # Variables: x (the values), then d >= |x - target|.
    c = np.concatenate([np.zeros(n), np.ones(n)])
    rows: list[np.ndarray] = []
    lows: list[float] = []
    highs: list[float] = []
    for total, parts in sums:
        row = np.zeros(2 * n)
        row[index[total]] += 1
        for part in parts:
            row[index[part]] -= 1
        rows.append(row)
        lows.append(0)
        highs.append(0)
    for i, target in enumerate(targets):
        above = np.zeros(2 * n)
        above[i], above[n + i] = 1, -1  # x - d <= target
        below = np.zeros(2 * n)
        below[i], below[n + i] = -1, -1  # -x - d <= -target
        rows += [above, below]
        lows += [-np.inf, -np.inf]
        highs += [target, -target]
    result = milp(
        c,
        integrality=np.concatenate([np.ones(n), np.zeros(n)]),
        bounds=Bounds(0, np.inf),
        constraints=LinearConstraint(np.array(rows), lows, highs),
    )
    assert result.status == 0, result.message
    return {key: round(result.x[index[key]]) for key in keys}


def _layout_keys_and_sums(document: Document) -> tuple[list[Key], list[Sum]]:
    keys = sorted(
        {(c.figure, c.year) for c in _all_cells(document) if c.figure}
        | {(figure, document.year) for figure in document.figures}
    )
    return keys, _structure(document)


small_counts = st.one_of(st.integers(0, 3), st.integers(0, 12), st.integers(0, 60))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_generated_years_on_the_seed_layout_resist_the_attack(data):
    skeleton = seed_document({})
    keys, sums = _layout_keys_and_sums(skeleton)
    targets = data.draw(st.lists(small_counts, min_size=len(keys), max_size=len(keys)))
    values = consistent(keys, sums, targets)
    document = seed_document({figure: value for (figure, _year), value in values.items()})
    published = public(document)
    assert_safe(published)
    assert_true_or_hidden(document, published)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_generated_years_on_the_profile_layout_resist_the_attack(data):
    """The country profile's own layout (whatever its tables are), built by the one
    renderer, with two earlier years: each year's figures drawn so that every sum
    the layout claims holds."""
    year = 2020
    earlier = {year - 2, year - 1}
    declared = list(catalogue())
    drawn: dict[int, dict[str, int]] = {}
    for each in sorted([*earlier, year]):
        skeleton = build_document(
            year=each,
            language="en",
            figures_of=lambda _y: dict.fromkeys(declared, 0),
            narratives=lambda _y, _l: {},
            years_with_records=set(),
        )
        keys, sums = _layout_keys_and_sums(skeleton)
        # Hundreds of figures: drawn from a seed (and a share of small counts), which
        # keeps hypothesis's own input small.
        seed = data.draw(st.integers(0, 2**32 - 1), label=f"seed {each}")
        small_share = data.draw(st.sampled_from([0.2, 0.5, 0.8]), label=f"small {each}")
        rng = np.random.default_rng(seed)
        targets = [
            int(rng.integers(0, 3)) if rng.random() < small_share else int(rng.integers(0, 60))
            for _key in keys
        ]
        values = consistent(keys, sums, targets)
        drawn[each] = {figure: value for (figure, _y), value in values.items()}

    def figures_of(each: int) -> dict[str, int]:
        return drawn[each]

    def build(edition: Edition, at: int, with_earlier: set[int]) -> Document:
        return build_document(
            year=at,
            language="en",
            edition=edition,
            figures_of=figures_of,
            narratives=lambda _y, _l: {},
            years_with_records=with_earlier,
        )

    internal = build("internal", year, earlier)
    published = build("public", year, earlier)
    assert_safe(published)
    assert_true_or_hidden(internal, published)
    # An earlier year's figure is shown as that year's own edition shows it.
    for previous in earlier:
        own = build("public", previous, set())
        for cell in _all_cells(published):
            if cell.year == previous and cell.figure:
                assert cell.flag == own.flags.get(cell.figure, ""), cell
    # A page of one chapter hides what the whole edition hides.
    chapter = next(c.id for c in published.chapters if c.tables)
    page = build_document(
        year=year,
        language="en",
        edition="public",
        chapters=[chapter],
        figures_of=figures_of,
        narratives=lambda _y, _l: {},
        years_with_records=earlier,
    )
    assert [c.id for c in page.chapters] == [chapter]
    assert page.flags == published.flags
