import decimal
from decimal import Decimal

import pytest

from thb.lib.decimals import quantize


def test_it_rounds_like_quantize_for_ordinary_values() -> None:
    assert quantize(Decimal("1935.005"), Decimal("0.01")) == Decimal("1935.00")
    assert quantize(Decimal("2") / Decimal("3"), Decimal("0.1")) == Decimal("0.7")


def test_it_rounds_values_too_large_for_the_default_context() -> None:
    huge = Decimal("1e30") / Decimal("3")
    with pytest.raises(decimal.InvalidOperation):
        huge.quantize(Decimal("0.01"))
    rounded = quantize(huge, Decimal("0.01"))
    assert rounded.as_tuple().exponent == -2
    assert abs(rounded - huge) < Decimal("0.01")


def test_it_leaves_non_finite_values_alone() -> None:
    assert quantize(Decimal("Infinity"), Decimal("0.01")).is_infinite()
