"""Typed accessors for parsed TOML: every failure names the file and key so it can be fixed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from carbon_reporting.domain.errors import ReferenceDataInvalid
from carbon_reporting.domain.rules import DecimalRange


@dataclass(frozen=True)
class Header:
    """The provenance every reference file declares at top level."""

    version: str
    source: str
    effective_from: dt.date


def fail(origin: str, message: str) -> ReferenceDataInvalid:
    return ReferenceDataInvalid(f"{origin}: {message}")


def header(data: Mapping[str, Any], origin: str) -> Header:
    effective_from = data.get("effective_from")
    if not isinstance(effective_from, dt.date) or isinstance(effective_from, dt.datetime):
        raise fail(origin, "effective_from must be a TOML date, e.g. 2023-01-01")
    return Header(text(data, "version", origin), text(data, "source", origin), effective_from)


def table(data: Mapping[str, Any], key: str, origin: str) -> Mapping[str, Any]:
    value = data.get(key)
    if not isinstance(value, Mapping):
        raise fail(origin, f"[{key}] must be a table")
    return value


def text(data: Mapping[str, Any], key: str, origin: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise fail(origin, f"{key} must be a non-empty string")
    return value


def flag(data: Mapping[str, Any], key: str, origin: str) -> bool:
    value = data.get(key)
    if not isinstance(value, bool):
        raise fail(origin, f"{key} must be true or false")
    return value


def integer(data: Mapping[str, Any], key: str, origin: str, *, minimum: int, maximum: int) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise fail(origin, f"{key} must be an integer in [{minimum}, {maximum}]")
    return value


def strings(data: Mapping[str, Any], key: str, origin: str) -> tuple[str, ...]:
    value = data.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(item, str) for item in value):
        raise fail(origin, f"{key} must be a non-empty list of strings")
    return tuple(value)


def dates(data: Mapping[str, Any], key: str, origin: str) -> frozenset[dt.date]:
    value = data.get(key)
    if not isinstance(value, list) or not all(type(item) is dt.date for item in value):
        raise fail(origin, f"{key} must be a list of TOML dates")
    return frozenset(value)


def decimal(data: Mapping[str, Any], key: str, origin: str) -> Decimal:
    """Decimals are written as strings in TOML so no binary float ever touches them; they must be >= 0."""
    return _to_decimal(data.get(key), key, origin)


def decimal_range(data: Mapping[str, Any], key: str, origin: str) -> DecimalRange:
    value = data.get(key)
    if not isinstance(value, list) or len(value) != 2:
        raise fail(origin, f'{key} must be ["low", "high"]')
    low, high = (_to_decimal(item, key, origin) for item in value)
    if low > high:
        raise fail(origin, f"{key}: low {low} is above high {high}")
    return DecimalRange(low, high)


def _to_decimal(value: object, key: str, origin: str) -> Decimal:
    if not isinstance(value, str):
        raise fail(origin, f'{key} must be a decimal written as a string, e.g. "0.5"')
    try:
        number = Decimal(value)
    except InvalidOperation as exc:
        raise fail(origin, f"{key} is not a decimal: {value!r}") from exc
    if not number.is_finite() or number < 0:
        raise fail(origin, f"{key} must be a finite number >= 0")
    return number
