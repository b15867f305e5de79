"""The justice.* figures of the annual report, computed from proceeding records."""

from thb.justice.selectors import justice_statistics


def figures(year: int) -> dict[str, int | float]:
    return justice_statistics(year)
