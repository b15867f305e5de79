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
   A reader may also know what the marks mean: "<3" is 1 to threshold - 1 and "c"
   is at least the threshold (a count that could have been published). With those
   bounds too, every "<3" cell must still be able to take every value from 1 to
   threshold - 1 (1 + "c" = 4 would give 1 exactly: the 4 is hidden too), unless
   the marks alone narrow it even with every count around it hidden ("<3" + "<3" =
   "<3" is 1 + 1 = 2): hiding more cannot help there, and it is left so.
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
import threading
from collections import defaultdict, deque
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence

import numpy as np
from cachetools import LRUCache, cached
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
        # Integer solutions found so far, as values of the cells hidden then (a cell
        # hidden later keeps its true value). Hiding more only removes constraints,
        # so each stays feasible; one whose value of a cell is `threshold` away from
        # the true value proves that cell safe without solving again.
        self.points: list[dict[Key, float]] = []
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

    def _system(
        self, key: Key, hidden: set[Key]
    ) -> tuple[list[Key], np.ndarray, np.ndarray, np.ndarray] | None:
        """The equalities of the component of `key` over its hidden cells, and the
        objective picking `key` (None when `key` stands in no relation)."""
        keys, rows = self.component(key, hidden)
        if not rows:
            return None
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
        return keys, matrix, rhs, objective

    def alone_in_a_sum(self, key: Key, hidden: set[Key]) -> bool:
        """The only hidden cell of a sum: worked out by subtraction, no solving."""
        for index in self.by_key.get(key, []):
            total, parts = self.relations[index]
            if sum(k in hidden for k in (total, *parts)) == 1:
                return True
        return False

    def width_at_least(self, key: Key, hidden: set[Key], threshold: int) -> bool:
        """Whether the hidden cell `key` can take values at least `threshold` apart,
        given everything published (counts: non-negative integers). Its true value
        lies in its feasible interval, so when the largest value is `threshold` above
        it the smallest is not needed."""
        if self.alone_in_a_sum(key, hidden):
            return False
        system = self._system(key, hidden)
        if system is None:
            return True  # in no relation: anything from 0 up
        true = float(self.values[key])
        if any(abs(point.get(key, true) - true) >= threshold for point in self.points):
            return True
        keys, matrix, rhs, objective = system
        lower, upper = np.zeros(len(keys)), np.full(len(keys), np.inf)
        high = -self._optimum(keys, -objective, matrix, rhs, lower, upper)
        if high - true >= threshold:
            return True
        low = self._optimum(keys, objective, matrix, rhs, lower, upper)
        return high - low >= threshold

    def _optimum(
        self,
        keys: list[Key],
        objective: np.ndarray,
        matrix: np.ndarray,
        rhs: np.ndarray,
        lower: np.ndarray,
        upper: np.ndarray,
        *,
        keep: bool = True,
    ) -> float:
        value, x = _solution(objective, matrix, rhs, lower, upper)
        if keep and x is not None:
            self.points.append(dict(zip(keys, (float(v) for v in np.round(x)), strict=True)))
        return value

    def _within_marks(
        self, point: dict[Key, float], flags: Mapping[Key, str], threshold: int
    ) -> bool:
        for key, value in point.items():
            if flags.get(key) == PRIMARY:
                if not 1 <= value <= threshold - 1:
                    return False
            elif value < threshold:
                return False
        return True

    def keeps_every_small_value(
        self,
        key: Key,
        hidden: set[Key],
        flags: Mapping[Key, str],
        threshold: int,
        *,
        what_if: bool = False,
    ) -> bool:
        """Whether the primary cell `key` can still be any value from 1 to
        threshold - 1 for a reader who also knows what the marks mean: "<3" is 1 to
        threshold - 1, "c" is at least the threshold (a hidden cell that could have
        been published). what_if: `hidden` is not what is hidden (its solutions are
        not kept)."""
        if threshold <= 2:
            return True  # "<2" is exactly 1 already
        if self.alone_in_a_sum(key, hidden):
            return False
        system = self._system(key, hidden)
        if system is None:
            return True
        true = float(self.values[key])
        seen = [true] + [
            point.get(key, true)
            for point in self.points
            if self._within_marks(point, flags, threshold)
        ]
        if min(seen) <= 1 and max(seen) >= threshold - 1:
            return True
        keys, matrix, rhs, objective = system
        small = [flags.get(k) == PRIMARY for k in keys]
        lower = np.array([1.0 if s else float(threshold) for s in small])
        upper = np.array([threshold - 1.0 if s else np.inf for s in small])
        keep = not what_if
        if max(seen) < threshold - 1:
            high = -self._optimum(keys, -objective, matrix, rhs, lower, upper, keep=keep)
            if high < threshold - 1:
                return False
        if min(seen) > 1:
            return self._optimum(keys, objective, matrix, rhs, lower, upper, keep=keep) <= 1
        return True


def _optimum(
    objective: np.ndarray,
    matrix: np.ndarray,
    rhs: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
) -> float:
    return _solution(objective, matrix, rhs, lower, upper)[0]


def _solution(
    objective: np.ndarray,
    matrix: np.ndarray,
    rhs: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
) -> tuple[float, np.ndarray | None]:
    """The smallest value of objective @ x over integers lower <= x <= upper with
    matrix @ x = rhs (-inf when unbounded), and an x that reaches it. The linear
    relaxation first (HiGHS simplex): unbounded there means unbounded in integers too
    (along an integer ray from the true values); an integral optimal vertex is the
    integer optimum (the sums of tables mostly give integral vertices). Otherwise the
    integer program."""
    bounds = list(zip(lower, [None if np.isinf(u) else u for u in upper], strict=True))
    relaxed = linprog(objective, A_eq=matrix, b_eq=rhs, bounds=bounds, method="highs")
    if relaxed.status == 3:
        return float("-inf"), None
    if relaxed.status != 0:
        raise RuntimeError(f"disclosure: the published cells are inconsistent ({relaxed.message})")
    if np.allclose(relaxed.x, np.round(relaxed.x), atol=1e-9):
        return float(relaxed.fun), relaxed.x
    exact = milp(
        objective,
        integrality=np.ones(len(objective)),
        bounds=Bounds(lower, upper),
        constraints=LinearConstraint(matrix, rhs, rhs),
    )
    if exact.status != 0:
        raise RuntimeError(f"disclosure: no integer optimum ({exact.message})")
    return float(exact.fun), exact.x


class _NothingLeft(Exception):
    pass


# The integer programs of one edition take seconds, and every public page and download
# protects the same figures again until they change: the cells to hide are kept per
# process for the same inputs (everything _secondary reads is in the key).
_protected: LRUCache[Hashable, Mapping[Key, str]] = LRUCache(maxsize=64)


def _secondary_key(
    values: Mapping[Key, Number],
    persons: set[Key],
    relations: Sequence[Relation],
    primary: Mapping[Key, str],
    threshold: int,
) -> Hashable:
    return (
        tuple(sorted(values.items())),
        tuple(sorted(persons)),
        tuple(relations),
        tuple(sorted(primary.items())),
        threshold,
    )


@cached(_protected, key=_secondary_key, lock=threading.Lock())
def _secondary(
    values: Mapping[Key, Number],
    persons: set[Key],
    relations: Sequence[Relation],
    primary: Mapping[Key, str],
    threshold: int,
) -> Mapping[Key, str]:
    """The cells to hide besides `primary` so that (1) every hidden cell's feasible
    interval is at least `threshold` wide, and (2) a reader who knows what the marks
    mean cannot exclude any value from 1 to threshold - 1 of a primary cell. The
    result is kept for the same inputs and shared: read it, do not change it."""
    program = _Program(values, relations)
    flags = dict(primary)
    hidden = set(flags)
    # Every count of persons that could be hidden, as a secondary cell (published
    # non-zero counts are at least the threshold): the most that hiding can do.
    everything = hidden | {key for key in persons if key in program.by_key and values[key] > 0}
    flags_everything = {key: flags.get(key, SECONDARY) for key in everything}
    added: dict[Key, str] = {}
    related = sorted(key for key in hidden if key in program.by_key)
    queue = deque([(1, key) for key in related])
    queue += [(2, key) for key in related if flags[key] == PRIMARY]
    while queue:
        check, key = queue.popleft()
        if check == 1 and program.width_at_least(key, hidden, threshold):
            continue
        if check == 2 and program.keeps_every_small_value(key, hidden, flags, threshold):
            continue
        if check == 2 and not program.keeps_every_small_value(
            key, everything, flags_everything, threshold, what_if=True
        ):
            # Even with every count around it hidden, the marks themselves narrow it
            # (e.g. "<3" + "<3" = "<3" makes 1 + 1 = 2): hiding more cannot help.
            logger.info("disclosure: %s is narrowed by the marks alone", key)
            continue
        try:
            candidate = _cheapest(program, key, hidden, persons)
        except _NothingLeft:
            raise RuntimeError(f"disclosure: nothing left to hide to protect {key}") from None
        hidden.add(candidate)
        flags[candidate] = added[candidate] = SECONDARY
        queue += [(1, candidate), (check, key)]
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
    raise _NothingLeft(key)


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
