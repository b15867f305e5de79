"""Disclosure control of the public edition, over all of its tables together.

Only counts of persons are protected (catalogue: `FigureDef.counts_persons`; an id the
catalogue does not declare is protected too). The threshold is the profile's
(`report.suppression_threshold`, carried by `Document.threshold`).

A figure is one variable wherever it stands: the key of a cell is (figure id, year),
so the same id in several tables, in a highlight sentence and in the figures map is
one value, hidden everywhere or nowhere. The structure an outside reader knows is
that every count is a non-negative integer, that each table's relations hold (row
totals, total rows: `Table.relations()`) and, through the shared keys, that the same
total stands in several tables.

1. Primary suppression: a count of persons from 1 to threshold - 1 is hidden
   (flag PRIMARY, shown "<3").
2. Secondary suppression, proven: for every hidden cell that stands in a relation,
   two integer programs (scipy.optimize.milp, HiGHS) give the smallest and the
   largest value the cell can take given everything published, the relations and
   non-negativity. While some hidden cell's interval is narrower than the threshold,
   the smallest published non-zero count of persons in a relation with it is hidden
   too (flag SECONDARY, shown "c"), and the cell is checked again. Hiding a cell
   only removes a constraint, so a cell once safe stays safe: each cell is solved
   until it is safe, and the loop ends because every step hides one more cell.
3. Zeros are published as 0: a zero shows no person. Published zeros are
   constraints of the programs above, so what they tell about their neighbours is
   accounted for; secondary suppression never hides a zero (when only zeros are
   published around hidden counts, those counts can be scaled up at will, so their
   intervals are unbounded).

A hidden cell has value None and its flag; it never shows a number, true or false.
The proof is the attacker test (thb/reports/tests/test_disclosure_attack.py), which
recomputes every interval from the published document alone.
"""

from __future__ import annotations

import logging
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from thb.reports.catalogue import catalogue
from thb.reports.document import PRIMARY, SECONDARY, Cell, Document, Highlights, Number

logger = logging.getLogger(__name__)

Key = tuple[str, int]  # (figure id, year)
Relation = tuple[Key, tuple[Key, ...]]  # total, parts: total = sum(parts)


def document_cells(document: Document) -> list[Cell]:
    """Every cell of the document that shows a figure: table cells (charts draw the
    same Table objects) and the cells a highlight sentence shows."""
    cells = [cell for table in document.tables for cell in table.figure_cells]
    for chapter in document.chapters:
        for block in chapter.blocks:
            if isinstance(block, Highlights):
                cells += [cell for sentence in block.cells for cell in sentence if cell.figure]
    return cells


def document_relations(document: Document) -> list[Relation]:
    """The sums the layout guarantees, as keys."""
    out: list[Relation] = []
    for table in document.tables:
        for total, parts in table.relations():
            assert total.figure is not None
            out.append(
                (
                    (total.figure, total.year),
                    tuple((part.figure, part.year) for part in parts if part.figure),
                )
            )
    return out


def _values(document: Document) -> dict[Key, Number]:
    values: dict[Key, Number] = {}
    for figure_id, value in document.figures.items():
        if value is not None:
            values[(figure_id, document.year)] = value
    for cell in document_cells(document):
        assert cell.figure is not None
        if cell.value is None:
            continue
        key = (cell.figure, cell.year)
        if values.setdefault(key, cell.value) != cell.value:
            raise ValueError(
                f"figure {cell.figure} ({cell.year}) stands with two values: "
                f"{values[key]} and {cell.value}"
            )
    return values


def _is_count(value: Number) -> bool:
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def flags_of(
    document: Document,
    *,
    earlier: Mapping[int, Mapping[str, str]] | None = None,
    relations: Iterable[Relation] = (),
    counts_persons: Callable[[str], bool] | None = None,
) -> dict[Key, str]:
    """The flags of every cell the public edition hides, by key; the document is not
    changed.

    earlier: for each year other than the document's whose figures the document shows
    (earlier-year columns, the previous year in highlights), the flags of that year's
    own public edition by figure id, so that every edition shows a figure of a year
    the same way; a year not given is protected by the primary rule only.
    relations: sums that hold by definition beyond the layout's tables.
    counts_persons: which figure ids count persons (default: the catalogue; an id it
    does not declare counts persons)."""
    if counts_persons is None:
        declared = catalogue()

        def counts_persons(figure_id: str) -> bool:
            figure = declared.get(figure_id)
            return figure is None or figure.counts_persons

    values = _values(document)
    threshold = document.threshold
    persons = {
        key
        for key, value in values.items()
        if counts_persons(key[0]) and _is_count(value) and value >= 0
    }
    flags: dict[Key, str] = {}
    for key in persons:
        if key[1] != document.year and earlier is not None and key[1] in earlier:
            flag = earlier[key[1]].get(key[0], "")
            if flag:
                flags[key] = flag
        elif 0 < values[key] < threshold:
            flags[key] = PRIMARY
    current = [
        relation
        for relation in [*document_relations(document), *relations]
        if all(key[1] == document.year for key in (relation[0], *relation[1]))
    ]
    flags.update(_secondary(values, persons, _holding(current, values), flags, threshold))
    return flags


def _holding(relations: Sequence[Relation], values: Mapping[Key, Number]) -> list[Relation]:
    """The relations that hold on the true values (a layout that claims a sum the
    figures do not make gives a reader nothing true: it is left out, with a warning)."""
    out = []
    for total, parts in relations:
        known = total in values and all(part in values for part in parts)
        if known and abs(values[total] - sum(values[part] for part in parts)) < 1e-9:
            out.append((total, parts))
            continue
        logger.warning("disclosure: %s is not the sum of %s; relation ignored", total, parts)
    return out


class _Program:
    """The integer programs of the published cells: the hidden counts as unknowns,
    each relation an equality with the published values moved to the right side."""

    def __init__(self, values: Mapping[Key, Number], relations: Sequence[Relation]) -> None:
        self.values = values
        self.relations = relations
        self.by_key: dict[Key, list[int]] = defaultdict(list)
        for index, (total, parts) in enumerate(relations):
            for key in (total, *parts):
                self.by_key[key].append(index)

    def component(self, key: Key, hidden: set[Key]) -> tuple[list[Key], list[int]]:
        """The hidden cells linked to `key` through relations, and those relations."""
        keys = {key}
        rows: set[int] = set()
        queue = deque([key])
        while queue:
            current = queue.popleft()
            for index in self.by_key.get(current, []):
                if index in rows:
                    continue
                rows.add(index)
                total, parts = self.relations[index]
                for other in (total, *parts):
                    if other in hidden and other not in keys:
                        keys.add(other)
                        queue.append(other)
        return sorted(keys), sorted(rows)

    def width_at_least(self, key: Key, hidden: set[Key], threshold: int) -> bool:
        """Whether the hidden cell `key` can take values at least `threshold` apart,
        given everything published. Its true value lies in its feasible interval, so
        when the largest value is `threshold` above it the smallest is not needed."""
        for index in self.by_key.get(key, []):
            total, parts = self.relations[index]
            if sum(k in hidden for k in (total, *parts)) == 1:
                return False  # the only hidden cell of a sum: worked out by subtraction
        keys, rows = self.component(key, hidden)
        if not rows:
            return True  # in no relation: anything from 0 up
        column = {k: i for i, k in enumerate(keys)}
        matrix = np.zeros((len(rows), len(keys)))
        rhs = np.zeros(len(rows))
        for r, index in enumerate(rows):
            total, parts = self.relations[index]
            for k, sign in [(total, 1.0), *((part, -1.0) for part in parts)]:
                if k in hidden:
                    matrix[r, column[k]] += sign
                else:
                    rhs[r] -= sign * float(self.values[k])
        objective = np.zeros(len(keys))
        objective[column[key]] = 1.0
        high = -_optimum(-objective, matrix, rhs)
        if high - float(self.values[key]) >= threshold:
            return True
        low = _optimum(objective, matrix, rhs)
        return high - low >= threshold


def _optimum(objective: np.ndarray, matrix: np.ndarray, rhs: np.ndarray) -> float:
    """The smallest value of objective @ x over non-negative integers x with
    matrix @ x = rhs (-inf when unbounded). The linear relaxation first (HiGHS
    simplex): unbounded there means unbounded in integers too (along an integer ray
    from the true values); an integral optimal vertex is the integer optimum (the
    sums of tables mostly give integral vertices). Otherwise the integer program."""
    relaxed = linprog(objective, A_eq=matrix, b_eq=rhs, bounds=(0, None), method="highs")
    if relaxed.status == 3:
        return float("-inf")
    if relaxed.status != 0:
        raise RuntimeError(f"disclosure: the published cells are inconsistent ({relaxed.message})")
    if np.allclose(relaxed.x, np.round(relaxed.x), atol=1e-9):
        return float(relaxed.fun)
    exact = milp(
        objective,
        integrality=np.ones(len(objective)),
        bounds=Bounds(0, np.inf),
        constraints=LinearConstraint(matrix, rhs, rhs),
    )
    if exact.status != 0:
        raise RuntimeError(f"disclosure: no integer optimum ({exact.message})")
    return float(exact.fun)


def _secondary(
    values: Mapping[Key, Number],
    persons: set[Key],
    relations: Sequence[Relation],
    primary: Mapping[Key, str],
    threshold: int,
) -> dict[Key, str]:
    """The cells to hide besides `primary` so that every hidden cell's feasible
    interval is at least `threshold` wide."""
    program = _Program(values, relations)
    hidden = set(primary)
    added: dict[Key, str] = {}
    queue = deque(sorted(key for key in hidden if key in program.by_key))
    while queue:
        key = queue.popleft()
        if program.width_at_least(key, hidden, threshold):
            continue
        candidate = _cheapest(program, key, hidden, persons)
        hidden.add(candidate)
        added[candidate] = SECONDARY
        queue.append(candidate)
        queue.append(key)
    return added


def _cheapest(program: _Program, key: Key, hidden: set[Key], persons: set[Key]) -> Key:
    """The published non-zero count of persons to hide for `key`: the smallest in a
    relation with it; failing that, the nearest smallest in its component."""
    seen_rows: set[int] = set()
    frontier = {key}
    seen_keys = {key}
    while frontier:
        rows = {i for k in frontier for i in program.by_key.get(k, [])} - seen_rows
        seen_rows |= rows
        members = {k for i in rows for k in (program.relations[i][0], *program.relations[i][1])}
        candidates = [
            k for k in members if k not in hidden and k in persons and float(program.values[k]) > 0
        ]
        if candidates:
            return min(candidates, key=lambda k: (float(program.values[k]), k))
        frontier = {k for k in members if k in hidden} - seen_keys
        seen_keys |= frontier
    raise RuntimeError(f"disclosure: nothing left to hide to protect {key}")


def apply_flags(document: Document, flags: Mapping[Key, str]) -> None:
    """Hide the flagged cells everywhere: tables, charts (the same tables), highlight
    cells and the figures map (value None, flag kept)."""
    for cell in document_cells(document):
        assert cell.figure is not None
        flag = flags.get((cell.figure, cell.year), "")
        if flag:
            cell.flag = flag
            cell.value = None
    for figure_id in list(document.figures):
        flag = flags.get((figure_id, document.year), "")
        if flag:
            document.flags[figure_id] = flag
            document.figures[figure_id] = None


def protect_document(
    document: Document,
    *,
    earlier: Mapping[int, Mapping[str, str]] | None = None,
    relations: Iterable[Relation] = (),
    counts_persons: Callable[[str], bool] | None = None,
) -> dict[Key, str]:
    """Hide small counts of persons (primary) and what would let them be narrowed
    below the threshold (secondary), in every table, highlight and the figures map.
    Returns the flags by key."""
    flags = flags_of(document, earlier=earlier, relations=relations, counts_persons=counts_persons)
    apply_flags(document, flags)
    return flags
