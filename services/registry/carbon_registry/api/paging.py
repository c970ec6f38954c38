"""Keyset cursors of this service: the last item's id (text ids) or sequence number (history rows)."""

from __future__ import annotations

from carbon_shared.errors import Unprocessable
from carbon_shared.pagination import decode_cursor

_MALFORMED = Unprocessable(
    "malformed cursor", errors=[{"loc": ["query", "cursor"], "msg": "malformed cursor"}]
)


def text_cursor(cursor: str | None) -> str | None:
    values = decode_cursor(cursor)
    if values is None:
        return None
    if len(values) != 1 or not isinstance(values[0], str):
        raise _MALFORMED
    return values[0]


def number_cursor(cursor: str | None) -> int | None:
    values = decode_cursor(cursor)
    if values is None:
        return None
    if len(values) != 1 or not isinstance(values[0], int) or isinstance(values[0], bool):
        raise _MALFORMED
    return values[0]
