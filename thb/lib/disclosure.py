"""Group-wise cell suppression (a heuristic): NOT safe on its own.

Primary suppression: a count greater than zero and below the threshold is hidden.
Secondary suppression: in a group of cells that add up to a published total, a
single hidden cell could be recovered by subtraction, so the next smallest cell of
that group is hidden too. Two or more hidden cells in a group can still be worked
out from other groups and other tables (thb/reports/tests/test_disclosure_attack.py
shows it on the 2020 figures). The report's public edition uses the proven,
edition-wide control of thb/reports/disclosure.py; this function remains for the
old public statistics page (reports/selectors.public_tables) until that page becomes
a view of the report, and for the test that reproduces the old attack.
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
