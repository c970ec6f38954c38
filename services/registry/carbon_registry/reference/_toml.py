"""Small typed accessors for parsed TOML: each failure names the file and key so it can be fixed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from carbon_registry.domain.errors import ReferenceDataInvalid


@dataclass(frozen=True)
class Header:
    """The provenance every reference file declares at top level."""

    version: str
    source: str
    effective_from: dt.date
    note: str | None


def fail(origin: str, message: str) -> ReferenceDataInvalid:
    return ReferenceDataInvalid(f"{origin}: {message}")


def table(data: Mapping[str, Any], key: str, origin: str) -> Mapping[str, Any]:
    value = data.get(key)
    if not isinstance(value, Mapping) or not value:
        raise fail(origin, f"[{key}] must be a non-empty table")
    return value


def text(data: Mapping[str, Any], key: str, origin: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise fail(origin, f"{key} must be a non-empty string")
    return value


def integer(data: Mapping[str, Any], key: str, origin: str) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise fail(origin, f"{key} must be an integer")
    return value


def optional_integer(data: Mapping[str, Any], key: str, origin: str) -> int | None:
    return None if key not in data else integer(data, key, origin)


def boolean(data: Mapping[str, Any], key: str, origin: str) -> bool:
    value = data.get(key)
    if not isinstance(value, bool):
        raise fail(origin, f"{key} must be true or false")
    return value


def decimal(data: Mapping[str, Any], key: str, origin: str) -> Decimal:
    """Decimals are written as strings in TOML so no binary float ever touches them."""
    value = data.get(key)
    if not isinstance(value, str):
        raise fail(origin, f'{key} must be a decimal written as a string, e.g. "1.5"')
    try:
        number = Decimal(value)
    except InvalidOperation as exc:
        raise fail(origin, f"{key} is not a decimal: {value!r}") from exc
    if not number.is_finite():
        raise fail(origin, f"{key} must be finite")
    return number


def header(data: Mapping[str, Any], origin: str) -> Header:
    effective = data.get("effective_from")
    try:
        effective_from = dt.date.fromisoformat(effective) if isinstance(effective, str) else effective
    except ValueError as exc:
        raise fail(origin, f"effective_from is not a date: {effective!r}") from exc
    if not isinstance(effective_from, dt.date):
        raise fail(origin, "effective_from must be a date (YYYY-MM-DD)")
    note = data.get("note")
    return Header(
        version=text(data, "version", origin),
        source=text(data, "source", origin),
        effective_from=effective_from,
        note=note if isinstance(note, str) else None,
    )
