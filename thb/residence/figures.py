"""The residence.* figures of the annual report, counted from the residence records."""

from thb.residence.selectors import reflection_periods_granted, residence_permits_granted


def figures(year: int) -> dict[str, int | float]:
    return {
        "residence.reflection_periods_granted": reflection_periods_granted(year),
        "residence.residence_permits_granted": residence_permits_granted(year),
    }
