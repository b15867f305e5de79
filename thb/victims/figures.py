"""The victims.* figures of the annual report."""

from thb.victims.selectors import victim_statistics


def figures(year: int) -> dict[str, int | float]:
    return dict(victim_statistics(year))
