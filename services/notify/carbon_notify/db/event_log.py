"""Repository of the event log (the live stream's source) and of events parked for a missing enterprise."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection, Sequence

from sqlalchemy import Row, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from carbon_notify.db.tables import event_log, parked_events
from carbon_shared.db.engine import upsert_ignore
from carbon_shared.events import Envelope, encode


async def append(session: AsyncSession, envelopes: Sequence[Envelope]) -> None:
    """Store each event once, in the given order (one multi-row statement); a redelivery finds it
    there and adds nothing."""
    if not envelopes:
        return
    now = dt.datetime.now(dt.UTC)
    rows = [
        {
            "event_id": envelope.event_id,
            "event_type": envelope.type,
            "subject": envelope.subject,
            "occurred_at": envelope.occurred_at,
            "body": encode(envelope).decode("utf-8"),
            "stored_at": now,
        }
        for envelope in envelopes
    ]
    await session.execute(upsert_ignore(session, event_log), rows)


async def last_id(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.coalesce(func.max(event_log.c.id), 0))) or 0)


async def after(session: AsyncSession, last_seen: int, *, limit: int) -> Sequence[Row]:
    """Events with id > last_seen in id order (the stream filters them; gaps are judged on all ids)."""
    query = (
        select(event_log.c.id, event_log.c.event_type, event_log.c.subject, event_log.c.body)
        .where(event_log.c.id > last_seen)
        .order_by(event_log.c.id)
        .limit(limit)
    )
    return (await session.execute(query)).all()


async def body_of(session: AsyncSession, event_id: uuid.UUID) -> str | None:
    return await session.scalar(select(event_log.c.body).where(event_log.c.event_id == event_id))


async def park(session: AsyncSession, parked: Sequence[tuple[uuid.UUID, str]]) -> None:
    """Park (event id, enterprise id) pairs until that enterprise reaches the read model."""
    if not parked:
        return
    now = dt.datetime.now(dt.UTC)
    rows = [{"event_id": e, "enterprise_id": enterprise_id, "parked_at": now} for e, enterprise_id in parked]
    await session.execute(upsert_ignore(session, parked_events), rows)


async def take_parked(
    session: AsyncSession,
    *,
    enterprise_ids: Collection[str] | None = None,
    parked_before: dt.datetime | None = None,
) -> list[tuple[str, str]]:
    """(enterprise_id, body) of parked events (of some enterprises, or parked before a time), in
    arrival order; they are unparked in the same transaction. Locked rows are another replica's:
    skipped."""
    query = (
        select(parked_events.c.event_id, parked_events.c.enterprise_id)
        .order_by(parked_events.c.parked_at)
        .with_for_update(skip_locked=True)
    )
    if enterprise_ids is not None:
        query = query.where(parked_events.c.enterprise_id.in_(list(enterprise_ids)))
    if parked_before is not None:
        query = query.where(parked_events.c.parked_at < parked_before)
    owners = {row.event_id: row.enterprise_id for row in (await session.execute(query)).all()}
    if not owners:
        return []
    await session.execute(delete(parked_events).where(parked_events.c.event_id.in_(list(owners))))
    bodies = select(event_log.c.event_id, event_log.c.body).where(event_log.c.event_id.in_(list(owners)))
    rows = (await session.execute(bodies.order_by(event_log.c.id))).all()
    return [(owners[row.event_id], row.body) for row in rows]
