"""Exact decimals as read back from PostgreSQL, which `ExactDecimal` normalises (30000 -> 3E+4)."""

from __future__ import annotations

from decimal import Decimal


def plain(value: Decimal) -> Decimal:
    """The same number without an exponent, so events and exports read "30000", never "3E+4"."""
    sign, digits, exponent = value.as_tuple()
    if isinstance(exponent, int) and exponent > 0:
        return value.quantize(Decimal(1))
    return value


def plain_or_none(value: Decimal | None) -> Decimal | None:
    return None if value is None else plain(value)
