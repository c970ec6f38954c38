"""Small typed accessors for parsed TOML: each failure names the file and key so it can be fixed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from carbon_notify.domain.errors import ReferenceDataInvalid


@dataclass(frozen=True)
class Header:
    """The provenance every reference file declares at top level."""

    version: str
    source: str
    effective_from: dt.date


def fail(origin: str, message: str) -> ReferenceDataInvalid:
    return ReferenceDataInvalid(f"{origin}: {message}")


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


def integer(data: Mapping[str, Any], key: str, origin: str, *, minimum: int) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise fail(origin, f"{key} must be an integer >= {minimum}")
    return value


def decimal(data: Mapping[str, Any], key: str, origin: str) -> Decimal:
    """Decimals are written as strings in TOML so no binary float ever touches them."""
    value = data.get(key)
    if not isinstance(value, str):
        raise fail(origin, f'{key} must be a decimal written as a string, e.g. "0.2"')
    try:
        number = Decimal(value)
    except InvalidOperation as exc:
        raise fail(origin, f"{key} is not a decimal: {value!r}") from exc
    if not number.is_finite():
        raise fail(origin, f"{key} must be finite")
    return number


def header(data: Mapping[str, Any], origin: str) -> Header:
    effective_from = data.get("effective_from")
    if isinstance(effective_from, str):
        try:
            effective_from = dt.date.fromisoformat(effective_from)
        except ValueError as exc:
            raise fail(origin, f"effective_from is not an ISO date: {effective_from!r}") from exc
    if not isinstance(effective_from, dt.date) or isinstance(effective_from, dt.datetime):
        raise fail(origin, "effective_from must be a date")
    return Header(text(data, "version", origin), text(data, "source", origin), effective_from)
