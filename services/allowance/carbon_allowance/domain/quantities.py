"""Rounding between exact Decimal quantities and whole units (one unit = one tonne CO2e).

The whole service rounds in exactly two directions, so they are named once here:
- what the state GIVES (allowances allocated, CCER usable) is rounded DOWN (`floor_units`);
- what an enterprise OWES (units to surrender) is rounded UP (`ceil_units`), so a fractional tonne of
  emissions is never left uncovered.
Money is kept to the fen (0.01 CNY), half-up (`to_fen`).
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from carbon_allowance.domain.errors import InvalidInput

_FEN = Decimal("0.01")


def floor_units(quantity: Decimal) -> int:
    """Whole tonnes rounded toward minus infinity: floor(1234.99) = 1234."""
    return int(quantity.to_integral_value(rounding=ROUND_FLOOR))


def ceil_units(quantity: Decimal) -> int:
    """Whole tonnes rounded toward plus infinity: ceil(1234.01) = 1235, ceil(1234) = 1234."""
    return int(quantity.to_integral_value(rounding=ROUND_CEILING))


def to_fen(amount: Decimal) -> Decimal:
    """CNY rounded half-up to two decimals."""
    return amount.quantize(_FEN, rounding=ROUND_HALF_UP)


def require_non_negative(value: Decimal | int, *, name: str) -> None:
    if value < 0:
        raise InvalidInput(f"{name} must be zero or positive, got {value}")


def require_positive_units(value: int, *, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise InvalidInput(f"{name} must be a whole number of units greater than zero, got {value!r}")


__all__ = ["ceil_units", "floor_units", "require_non_negative", "require_positive_units", "to_fen"]
