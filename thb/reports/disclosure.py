"""Disclosure control of the public edition, over all of its tables together.

Only counts of persons are protected (catalogue: persons). A figure is one value
wherever it stands: hiding it hides it in every table, and the sums of every table
(row totals, total rows) constrain it together.
"""

from __future__ import annotations

from thb.lib.disclosure import suppress_counts
from thb.reports.catalogue import catalogue
from thb.reports.document import PRIMARY, SECONDARY, Document


def _key(figure: str, year: int) -> str:
    return f"{year}:{figure}"


def protect_document(document: Document) -> None:
    """Hide small counts of persons (primary) and what would let them be worked out
    (secondary), in every table and in the figures map."""
    declared = catalogue()
    persons = {figure_id for figure_id, figure in declared.items() if figure.counts_persons}
    cells: dict[str, int] = {}
    groups: list[list[str]] = []
    for table in document.tables:
        for cell in table.figure_cells:
            if cell.figure in persons and isinstance(cell.value, int):
                cells[_key(cell.figure, cell.year)] = cell.value
        for total, parts in table.relations():
            if total.figure in persons:
                groups.append([_key(c.figure, c.year) for c in [total, *parts] if c.figure])
    for figure_id in persons:
        value = document.figures.get(figure_id)
        if isinstance(value, int):
            cells.setdefault(_key(figure_id, document.year), value)
    safe = suppress_counts(cells, threshold=document.threshold, groups=groups)
    flags = {
        key: (PRIMARY if 0 < cells[key] < document.threshold else SECONDARY)
        for key, value in safe.items()
        if value is None
    }
    for table in document.tables:
        for cell in table.figure_cells:
            assert cell.figure is not None
            flag = flags.get(_key(cell.figure, cell.year), "")
            if flag:
                cell.flag = flag
                cell.value = None
    for figure_id in list(document.figures):
        flag = flags.get(_key(figure_id, document.year), "")
        if flag:
            document.flags[figure_id] = flag
            document.figures[figure_id] = None
