"""Turning domain values into JSON documents for history rows (dates as ISO text, decimals exact)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, is_dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

CHINA_STANDARD_TIME = dt.timezone(dt.timedelta(hours=8), "CST")


def jsonable(value: Any) -> Any:
    """A JSON-safe copy: Decimal -> exact text, date -> ISO, enum -> value, tuples -> lists."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        return jsonable(asdict(value))
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    return value


def china_today() -> dt.date:
    """Today in China Standard Time: the calendar the regulator's dates are written in."""
    return dt.datetime.now(CHINA_STANDARD_TIME).date()
