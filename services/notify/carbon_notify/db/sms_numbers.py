"""Repository of the phone numbers departments registered for the SMS channel."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from carbon_notify.db.tables import sms_numbers
from carbon_notify.domain.model import Recipient, RecipientKind
from carbon_shared.db.engine import upsert_ignore


def _owned_by(owner: Recipient) -> Any:
    return (sms_numbers.c.owner_kind == owner.kind.value) & (sms_numbers.c.owner_id == owner.id)


async def add(session: AsyncSession, row: dict[str, Any]) -> bool:
    """Insert unless the owner registered that phone already; True when inserted."""
    statement = upsert_ignore(session, sms_numbers).values(row).returning(sms_numbers.c.id)
    return (await session.execute(statement)).first() is not None


async def get(session: AsyncSession, number_id: uuid.UUID) -> Row | None:
    return (await session.execute(select(sms_numbers).where(sms_numbers.c.id == number_id))).first()


async def remove(session: AsyncSession, number_id: uuid.UUID) -> None:
    await session.execute(delete(sms_numbers).where(sms_numbers.c.id == number_id))


async def page(
    session: AsyncSession, owner: Recipient | None, *, after: tuple[dt.datetime, uuid.UUID] | None, limit: int
) -> Sequence[Row]:
    """Oldest first by (created_at, id); `owner` None lists every owner's numbers (operations)."""
    query = select(sms_numbers)
    if owner is not None:
        query = query.where(_owned_by(owner))
    if after is not None:
        at, last = after
        c = sms_numbers.c
        query = query.where((c.created_at > at) | ((c.created_at == at) & (c.id > last)))
    order = (sms_numbers.c.created_at, sms_numbers.c.id)
    return (await session.execute(query.order_by(*order).limit(limit + 1))).all()


async def by_owner(session: AsyncSession) -> dict[Recipient, tuple[str, ...]]:
    """Every registered number, grouped by owner (a small table: read once per consumer batch)."""
    grouped: dict[Recipient, list[str]] = {}
    for row in (
        await session.execute(select(sms_numbers.c.owner_kind, sms_numbers.c.owner_id, sms_numbers.c.phone))
    ).all():
        grouped.setdefault(Recipient(RecipientKind(row.owner_kind), row.owner_id), []).append(row.phone)
    return {owner: tuple(sorted(phones)) for owner, phones in grouped.items()}
