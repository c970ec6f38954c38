"""Small typed accessors for TOML parsed with `parse_float=Decimal`: each failure names file and key."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from carbon_allowance.domain.errors import ReferenceDataInvalid
from carbon_allowance.domain.rules import Provenance


def fail(origin: str, message: str) -> ReferenceDataInvalid:
    return ReferenceDataInvalid(f"{origin}: {message}")


def provenance(data: Mapping[str, Any], *, table: str, origin: str) -> Provenance:
    """Read the header every reference file must carry: version, source, effective_from."""
    effective_from = data.get("effective_from")
    if not isinstance(effective_from, dt.date) or isinstance(effective_from, dt.datetime):
        raise fail(origin, "effective_from must be a TOML local date (YYYY-MM-DD)")
    return Provenance(
        table=table,
        version=text(data, "version", origin),
        source=text(data, "source", origin),
        effective_from=effective_from,
    )


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


def integer(data: Mapping[str, Any], key: str, origin: str) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise fail(origin, f"{key} must be an integer")
    return value


def decimal(data: Mapping[str, Any], key: str, origin: str, *, default: Decimal | None = None) -> Decimal:
    """A number as an exact Decimal; integers are accepted and converted."""
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise fail(origin, f"{key} must be a number")
    return Decimal(value)


def positive_decimal(data: Mapping[str, Any], key: str, origin: str) -> Decimal:
    value = decimal(data, key, origin)
    if value <= 0:
        raise fail(origin, f"{key} must be > 0, got {value}")
    return value
