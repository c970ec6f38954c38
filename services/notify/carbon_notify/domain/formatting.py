"""How payload values read in a message: amounts with thousands separators, ISO dates, labels.

Payload values arrive as JSON (numbers, or decimal strings for exact quantities; dates as ISO strings),
so every formatter accepts both the Python and the JSON form. A value that cannot be read raises
ValueError; the template renderer turns that into a placeholder and reports the field.

Rounding rules:
- integer: the value must be integral (no rounding); "1234567" -> "1,234,567".
- tonnes: exact, never rounded; trailing fractional zeros dropped; "12345.500" -> "12,345.5".
- money: to 0.01 CNY, ROUND_HALF_UP (the way a fine notice is written); "1234.565" -> "1,234.57".
- date: ISO 8601 calendar date; a datetime is first converted to the display offset (China Standard
  Time), because a deadline or fact happens on the local day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

_CENT = Decimal("0.01")


class FormatKind(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    TONNES = "tonnes"
    MONEY = "money"
    DATE = "date"
    LABEL = "label"


@dataclass(frozen=True)
class FieldFormat:
    kind: FormatKind
    label_set: str | None = None  # for LABEL: which label set translates the value


def to_decimal(value: Any) -> Decimal:
    if isinstance(value, bool) or value is None:
        raise ValueError(f"not a number: {value!r}")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {value!r}") from exc
    if not number.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return number


def format_integer(value: Any) -> str:
    number = to_decimal(value)
    if number != number.to_integral_value():
        raise ValueError(f"not a whole number: {value!r}")
    return f"{int(number):,}"


def format_tonnes(value: Any) -> str:
    number = to_decimal(value)
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return format(number.normalize(), ",f")


def format_money(value: Any) -> str:
    return format(to_decimal(value).quantize(_CENT, rounding=ROUND_HALF_UP), ",f")


def format_date(value: Any, *, utc_offset: dt.timedelta) -> str:
    if isinstance(value, dt.datetime):
        return _local_day(value, utc_offset).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    return _local_day(dt.datetime.fromisoformat(text), utc_offset).isoformat()


def _local_day(moment: dt.datetime, utc_offset: dt.timedelta) -> dt.date:
    if moment.tzinfo is None:
        raise ValueError(f"timestamp without offset: {moment.isoformat()}")
    return moment.astimezone(dt.timezone(utc_offset)).date()


def format_value(
    value: Any,
    rule: FieldFormat,
    *,
    labels: Mapping[str, Mapping[str, str]],
    utc_offset: dt.timedelta,
) -> str:
    """Format one value; `labels` is the label sets of the message's language (set -> value -> label).
    A value with no label is shown as it is: an unknown level is still information."""
    if rule.kind is FormatKind.INTEGER:
        return format_integer(value)
    if rule.kind is FormatKind.TONNES:
        return format_tonnes(value)
    if rule.kind is FormatKind.MONEY:
        return format_money(value)
    if rule.kind is FormatKind.DATE:
        return format_date(value, utc_offset=utc_offset)
    if rule.kind is FormatKind.LABEL and rule.label_set is not None:
        return labels.get(rule.label_set, {}).get(str(value), str(value))
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)
