"""Use cases of the inbox: a recipient's notifications, newest first, and marking one read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Row

from carbon_notify.db import notifications
from carbon_notify.domain.model import Recipient
from carbon_shared.db import UnitOfWork
from carbon_shared.errors import NotFound, Unprocessable
from carbon_shared.pagination import decode_cursor, encode_cursor


@dataclass(frozen=True)
class InboxPage:
    items: list[Row]
    next_cursor: str | None
    unread: int


async def list_inbox(
    uow: UnitOfWork, *, owner: Recipient, cursor: str | None, limit: int, unread_only: bool
) -> InboxPage:
    before_id = _before_id(cursor)
    rows = await notifications.inbox_page(
        uow.session, owner, before_id=before_id, limit=limit, unread_only=unread_only
    )
    items = list(rows[:limit])
    next_cursor = encode_cursor([items[-1].id]) if len(rows) > limit else None
    return InboxPage(items, next_cursor, await notifications.unread_count(uow.session, owner))


async def mark_read(uow: UnitOfWork, *, owner: Recipient, item_id: int) -> Row:
    """Idempotent: reading a read notification keeps its first read time. Another's item is 404."""
    item = await notifications.inbox_item_for_update(uow.session, owner, item_id)
    if item is None:
        raise NotFound(f"no notification {item_id} in this inbox")
    if item.read_at is None:
        await notifications.mark_read(uow.session, item_id, dt.datetime.now(dt.UTC))
        item = await notifications.inbox_item_for_update(uow.session, owner, item_id)
        assert item is not None
    return item


def _before_id(cursor: str | None) -> int | None:
    values = decode_cursor(cursor)
    if values is None:
        return None
    if len(values) != 1 or not isinstance(values[0], int):
        raise Unprocessable(
            "malformed cursor", errors=[{"loc": ["query", "cursor"], "msg": "malformed cursor"}]
        )
    return values[0]
