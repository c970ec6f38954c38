"""Repository of webhook subscriptions and their deliveries."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from carbon_notify.db.notifications import ACTIVE_STATES
from carbon_notify.db.tables import webhook_deliveries, webhook_subscriptions
from carbon_notify.domain.model import Recipient
from carbon_notify.domain.webhook_delivery import WebhookDelivery
from carbon_shared.db.engine import upsert_ignore

subs, deliveries = webhook_subscriptions, webhook_deliveries


async def create_subscription(session: AsyncSession, row: dict[str, Any]) -> None:
    await session.execute(insert(subs).values(row))


async def get_subscription(
    session: AsyncSession, subscription_id: uuid.UUID, *, for_update: bool = False
) -> Row | None:
    """A subscription that was not deleted."""
    query = select(subs).where(subs.c.id == subscription_id, subs.c.deleted_at.is_(None))
    return (await session.execute(query.with_for_update() if for_update else query)).first()


async def set_active(session: AsyncSession, subscription_id: uuid.UUID, *, active: bool) -> None:
    await session.execute(update(subs).where(subs.c.id == subscription_id).values(active=int(active)))


async def mark_deleted(session: AsyncSession, subscription_id: uuid.UUID, *, at: dt.datetime) -> None:
    """Hide the subscription (its delivery log stays) and end its unfinished deliveries as dead."""
    await session.execute(update(subs).where(subs.c.id == subscription_id).values(active=0, deleted_at=at))
    await session.execute(
        update(deliveries)
        .where(deliveries.c.subscription_id == subscription_id, deliveries.c.state.in_(ACTIVE_STATES))
        .values(state="dead", next_attempt_at=None, last_error="subscription deleted")
    )


def _owned_by(owner: Recipient) -> Any:
    return (subs.c.owner_kind == owner.kind.value) & (subs.c.owner_id == owner.id)


async def subscriptions_page(
    session: AsyncSession, owner: Recipient | None, *, after: tuple[str, str] | None, limit: int
) -> Sequence[Row]:
    """Oldest first by (created_at, id); `owner` None lists every subscription (operations)."""
    query = select(subs).where(subs.c.deleted_at.is_(None))
    if owner is not None:
        query = query.where(_owned_by(owner))
    if after is not None:
        at, last = dt.datetime.fromisoformat(after[0]), uuid.UUID(after[1])
        query = query.where(or_(subs.c.created_at > at, (subs.c.created_at == at) & (subs.c.id > last)))
    return (await session.execute(query.order_by(subs.c.created_at, subs.c.id).limit(limit + 1))).all()


async def all_active(session: AsyncSession) -> Sequence[Row]:
    """Every active subscription (a small table: read once per consumer batch)."""
    query = select(subs.c.id, subs.c.owner_kind, subs.c.owner_id, subs.c.event_types).where(
        subs.c.active == 1, subs.c.deleted_at.is_(None)
    )
    return (await session.execute(query)).all()


async def insert_deliveries(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        await session.execute(upsert_ignore(session, deliveries), list(rows))


_DELIVERY_COLUMNS = (
    deliveries,
    subs.c.url,
    subs.c.secret,
    subs.c.owner_kind,
    subs.c.owner_id,
    subs.c.deleted_at,
)


async def claim_due(session: AsyncSession, *, now: dt.datetime, limit: int) -> Sequence[Row]:
    """Due deliveries with their endpoint, locked so another replica's worker skips them."""
    query = (
        select(*_DELIVERY_COLUMNS)
        .join(subs, subs.c.id == deliveries.c.subscription_id)
        .where(
            deliveries.c.state.in_(ACTIVE_STATES),
            deliveries.c.next_attempt_at <= now,
            subs.c.active == 1,  # a deactivated endpoint's deliveries wait for its reactivation
        )
        .order_by(deliveries.c.next_attempt_at, deliveries.c.id)
        .limit(limit)
        .with_for_update(of=deliveries, skip_locked=True)
    )
    return (await session.execute(query)).all()


async def get_delivery(session: AsyncSession, delivery_id: int, *, for_update: bool = False) -> Row | None:
    query = (
        select(*_DELIVERY_COLUMNS)
        .join(subs, subs.c.id == deliveries.c.subscription_id)
        .where(deliveries.c.id == delivery_id)
    )
    if for_update:
        query = query.with_for_update(of=deliveries)
    return (await session.execute(query)).first()


async def deliveries_page(
    session: AsyncSession,
    owner: Recipient | None,
    *,
    subscription_id: uuid.UUID | None,
    state: str | None,
    before_id: int | None,
    limit: int,
) -> Sequence[Row]:
    """Newest first; `owner` None lists every owner's deliveries (operations)."""
    query = select(*_DELIVERY_COLUMNS).join(subs, subs.c.id == deliveries.c.subscription_id)
    if owner is not None:
        query = query.where(_owned_by(owner))
    if subscription_id is not None:
        query = query.where(deliveries.c.subscription_id == subscription_id)
    if state is not None:
        query = query.where(deliveries.c.state == state)
    if before_id is not None:
        query = query.where(deliveries.c.id < before_id)
    return (await session.execute(query.order_by(deliveries.c.id.desc()).limit(limit + 1))).all()


async def save_state(session: AsyncSession, delivery_id: int, delivery: WebhookDelivery) -> None:
    await session.execute(
        update(deliveries)
        .where(deliveries.c.id == delivery_id)
        .values(
            state=delivery.state.value,
            attempts=delivery.attempts,
            next_attempt_at=delivery.next_attempt_at,
            last_error=delivery.last_error,
            redeliveries=delivery.redeliveries,
        )
    )
