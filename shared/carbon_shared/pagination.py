"""Cursor pagination as the contract states: `{"items": [...], "next_cursor": "..."|null}`, limit <= 500."""

from __future__ import annotations

import base64
import json
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel

from carbon_shared.errors import Unprocessable

T = TypeVar("T")

MAX_LIMIT = 500
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="page size, at most 500")]
Cursor = Annotated[str | None, Query(description="`next_cursor` of the previous page")]


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


def encode_cursor(values: list[Any]) -> str:
    """An opaque cursor holding the sort key of the last item returned."""
    return base64.urlsafe_b64encode(json.dumps(values, default=str).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> list[Any] | None:
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except ValueError as exc:
        raise Unprocessable(
            "malformed cursor", errors=[{"loc": ["query", "cursor"], "msg": "malformed cursor"}]
        ) from exc
    if not isinstance(values, list):
        raise Unprocessable(
            "malformed cursor", errors=[{"loc": ["query", "cursor"], "msg": "malformed cursor"}]
        )
    return values


def page_of(rows: list[T], limit: int, key: Any) -> Page[T]:
    """Build a page from `limit + 1` fetched rows: the extra row only says there is a next page."""
    items = rows[:limit]
    next_cursor = encode_cursor(key(items[-1])) if len(rows) > limit and items else None
    return Page[T](items=items, next_cursor=next_cursor)
