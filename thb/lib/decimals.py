"""Rounding of computed amounts that cannot fail: Decimal.quantize raises
InvalidOperation when the result needs more digits than the context's precision (28),
so a single huge stored value would break a figure. Here the precision fits the value."""

from __future__ import annotations

import decimal
from decimal import Decimal


def quantize(value: Decimal, exponent: Decimal, rounding: str = decimal.ROUND_HALF_EVEN) -> Decimal:
    """`value` rounded to `exponent` (e.g. Decimal("0.01")); NaN and infinities are
    returned as they are."""
    if not value.is_finite():
        return value
    digits = max(value.adjusted(), 0) - min(exponent.as_tuple().exponent, 0) + 2  # type: ignore[operator]
    with decimal.localcontext() as context:
        context.prec = max(context.prec, digits)
        return value.quantize(exponent, rounding=rounding)
