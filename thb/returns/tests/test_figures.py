"""The returns measure: its filters are checked, and a country row, the residual row
and the total add up from one grouped count."""

from __future__ import annotations

import pytest

from thb.profiles.sections.figures import FigureDef
from thb.returns.figures import _check, _value


def _figure(**filters: object) -> FigureDef:
    return FigureDef.model_validate(
        {
            "id": "returns.test",
            "definition": {"lv": "x", "en": "x"},
            "unit": "persons",
            "measure": "returns.organised",
            "filters": filters,
        }
    )


def test_the_filters_are_checked() -> None:
    _check(_figure(country="GB"))
    _check(_figure(other_than=["GB", "NO"]))
    for bad in (
        _figure(sex="male"),
        _figure(country="GB", other_than=["NO"]),
        _figure(country="ZZ"),
    ):
        with pytest.raises(ValueError, match=r"filter|ISO"):
            _check(bad)


def test_country_rows_and_the_rest_add_up_to_the_total() -> None:
    counts = {"GB": 3, "RS": 1, "BR": 2}
    assert _value(_figure(country="GB"), counts) == 3
    assert _value(_figure(country=["RS", "BR"]), counts) == 3
    assert _value(_figure(other_than=["GB"]), counts) == 3
    assert _value(_figure(), counts) == 6
