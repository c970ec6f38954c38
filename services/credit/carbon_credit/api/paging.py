"""Keyset cursors of this service: always a (sort value, id) pair of strings."""

from __future__ import annotations

from carbon_shared.errors import Unprocessable
from carbon_shared.pagination import decode_cursor


def cursor_pair(cursor: str | None) -> list[str] | None:
    values = decode_cursor(cursor)
    if values is None:
        return None
    if len(values) != 2 or not all(isinstance(value, str | int) for value in values):
        raise Unprocessable(
            "malformed cursor", errors=[{"loc": ["query", "cursor"], "msg": "malformed cursor"}]
        )
    return [str(value) for value in values]


def ranked_cursor(cursor: str | None) -> list[int | str] | None:
    """A (rank, id) cursor: the rank back to an int."""
    pair = cursor_pair(cursor)
    if pair is None:
        return None
    if not pair[0].isdigit():
        raise Unprocessable(
            "malformed cursor", errors=[{"loc": ["query", "cursor"], "msg": "malformed cursor"}]
        )
    return [int(pair[0]), pair[1]]
