"""Repository of notifications (one per event, recipient and channel) and the delivery attempt log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, and_, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from carbon_notify.db.tables import delivery_attempts, notifications
from carbon_notify.domain.model import Channel, Recipient
from carbon_notify.domain.webhook_delivery import AttemptRecord, DeliveryState, WebhookDelivery
from carbon_shared.db.engine import upsert_ignore

ACTIVE_STATES = (DeliveryState.PENDING.value, DeliveryState.RETRYING.value)


async def insert_new(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> list[Row]:
    """Insert the rows whose (event, recipient, channel) is not there yet; returns the new ones.

    The unique key decides, inside the caller's transaction: a redelivered or re-routed event, or a
    second replica racing on the same event, inserts nothing."""
    if not rows:
        return []
    statement = upsert_ignore(session, notifications).returning(
        notifications.c.id,
        notifications.c.event_id,
        notifications.c.channel,
        notifications.c.recipient_kind,
        notifications.c.recipient_id,
    )
    return list((await session.execute(statement, list(rows))).all())


def _of(recipient: Recipient) -> Any:
    return and_(
        notifications.c.recipient_kind == recipient.kind.value,
        notifications.c.recipient_id == recipient.id,
        notifications.c.channel == Channel.INBOX.value,
    )


async def inbox_page(
    session: AsyncSession, recipient: Recipient, *, before_id: int | None, limit: int, unread_only: bool
) -> Sequence[Row]:
    """Newest first, `limit + 1` rows so the caller can tell whether another page follows."""
    query = select(notifications).where(_of(recipient))
    if before_id is not None:
        query = query.where(notifications.c.id < before_id)
    if unread_only:
        query = query.where(notifications.c.read_at.is_(None))
    return (await session.execute(query.order_by(notifications.c.id.desc()).limit(limit + 1))).all()


async def unread_count(session: AsyncSession, recipient: Recipient) -> int:
    query = select(func.count()).where(_of(recipient), notifications.c.read_at.is_(None))
    return int(await session.scalar(query) or 0)


async def inbox_item_for_update(session: AsyncSession, recipient: Recipient, item_id: int) -> Row | None:
    query = select(notifications).where(_of(recipient), notifications.c.id == item_id).with_for_update()
    return (await session.execute(query)).first()


async def mark_read(session: AsyncSession, item_id: int, at: dt.datetime) -> None:
    await session.execute(update(notifications).where(notifications.c.id == item_id).values(read_at=at))


async def claim_due(
    session: AsyncSession, channel: Channel, *, now: dt.datetime, limit: int
) -> Sequence[Row]:
    """Due email or SMS rows, locked; another replica's worker skips them (PostgreSQL SKIP LOCKED)."""
    query = (
        select(notifications)
        .where(
            notifications.c.channel == channel.value,
            notifications.c.state.in_(ACTIVE_STATES),
            notifications.c.next_attempt_at <= now,
        )
        .order_by(notifications.c.next_attempt_at, notifications.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return (await session.execute(query)).all()


async def save_state(session: AsyncSession, item_id: int, delivery: WebhookDelivery) -> None:
    await session.execute(
        update(notifications)
        .where(notifications.c.id == item_id)
        .values(
            state=delivery.state.value,
            attempts=delivery.attempts,
            next_attempt_at=delivery.next_attempt_at,
            last_error=delivery.last_error,
        )
    )


async def save_delivered_to(session: AsyncSession, item_id: int, phones: Sequence[str]) -> None:
    await session.execute(
        update(notifications).where(notifications.c.id == item_id).values(delivered_to=list(phones))
    )


async def log_attempt(
    session: AsyncSession, *, channel: Channel, target_id: int, record: AttemptRecord
) -> None:
    row = {
        "channel": channel.value,
        "target_id": target_id,
        "number": record.number,
        "at": record.at,
        "status_code": record.status_code,
        "error": record.error,
        "state_after": record.state_after.value,
    }
    await session.execute(insert(delivery_attempts).values(row))


async def attempts_of(session: AsyncSession, *, channel: Channel, target_id: int) -> Sequence[Row]:
    query = (
        select(delivery_attempts)
        .where(delivery_attempts.c.channel == channel.value, delivery_attempts.c.target_id == target_id)
        .order_by(delivery_attempts.c.id)
    )
    return (await session.execute(query)).all()
