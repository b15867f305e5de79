"""Statistical disclosure control for published tables.

Primary suppression: a count greater than zero and below the threshold is hidden.
Secondary suppression: in a group of cells that add up to a published total, a
single hidden cell could be recovered by subtraction, so the next smallest cell of
that group is hidden too.
"""

from __future__ import annotations

from collections.abc import Mapping

SUPPRESSED = None  # a hidden cell


def suppress_counts(
    cells: Mapping[str, int], *, threshold: int, groups: list[list[str]] | None = None
) -> dict[str, int | None]:
    """Return the cells with small counts replaced by None (SUPPRESSED)."""
    out: dict[str, int | None] = {
        key: (SUPPRESSED if 0 < value < threshold else value) for key, value in cells.items()
    }
    # Groups overlap (a table's rows and columns): hiding a cell for one group can leave
    # a single hidden cell in another, so repeat until no group changes.
    changed = True
    while changed:
        changed = False
        for group in groups or []:
            members = [key for key in group if key in out]
            hidden = [key for key in members if out[key] is SUPPRESSED]
            if len(hidden) == 1:
                visible = sorted(
                    (key for key in members if out[key] not in (SUPPRESSED, 0)),
                    key=lambda key: cells[key],
                )
                if visible:
                    out[visible[0]] = SUPPRESSED
                    changed = True
    return out
