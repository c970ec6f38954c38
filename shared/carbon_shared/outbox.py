"""The outbox relay: publishes committed events in id order, at least once, after a crash too.

Rows are claimed with `FOR UPDATE SKIP LOCKED` inside a transaction that also holds a per-service
advisory lock (PostgreSQL), so exactly one relay publishes at a time and events of one subject leave
in the order they were committed. A row is marked published only after the bus acknowledged it; a
crash in between re-publishes it, and consumers drop the duplicate by event_id.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import zlib

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from carbon_shared.bus import Bus, OutgoingMessage
from carbon_shared.db.engine import is_postgres
from carbon_shared.db.tables import outbox
from carbon_shared.metrics import Metrics

log = logging.getLogger(__name__)


class OutboxRelay:
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        bus: Bus,
        *,
        service: str,
        batch_size: int = 500,
        poll_seconds: float = 0.2,
        retention: dt.timedelta = dt.timedelta(days=7),
        linger_seconds: float = 0.0,
        metrics: Metrics | None = None,
    ) -> None:
        self._session_factory = session_factory
        self._bus = bus
        self._lock_key = zlib.crc32(f"outbox:{service}".encode())
        self._batch_size = batch_size
        self._poll_seconds = poll_seconds
        self._retention = retention
        self._linger = linger_seconds
        self._metrics = metrics
        self._wake = asyncio.Event()
        self._stopping = False

    def wake(self) -> None:
        """Called after a commit that wrote events, so they leave without waiting for the poll."""
        self._wake.set()

    async def run(self) -> None:
        while not self._stopping:
            try:
                published = await self.publish_pending()
            except Exception:
                log.exception("outbox relay round failed; retrying")
                published = 0
                await asyncio.sleep(1)
            if published < self._batch_size:
                await self._sleep()
        await self.flush()

    async def stop(self) -> None:
        """Stop after a final flush of everything committed so far."""
        self._stopping = True
        self._wake.set()

    async def flush(self) -> None:
        while await self.publish_pending() >= self._batch_size:
            pass

    async def publish_pending(self) -> int:
        async with self._session_factory() as session, session.begin():
            if is_postgres(session) and not await self._take_lock(session):
                return 0
            rows = (await session.execute(self._claim())).all()
            if not rows:
                return 0
            await self._bus.publish([OutgoingMessage(r.topic, r.message_key, r.body.encode()) for r in rows])
            now = dt.datetime.now(dt.UTC)
            await session.execute(
                update(outbox).where(outbox.c.id.in_([r.id for r in rows])).values(published_at=now)
            )
        if self._metrics:
            for r in rows:
                self._metrics.events_published.labels(r.event_type).inc()
        return len(rows)

    async def purge_published(self) -> int:
        cutoff = dt.datetime.now(dt.UTC) - self._retention
        async with self._session_factory() as session, session.begin():
            result = await session.execute(
                delete(outbox).where(outbox.c.published_at.is_not(None), outbox.c.published_at < cutoff)
            )
        return int(getattr(result, "rowcount", 0) or 0)

    def _claim(self):
        query = (
            select(outbox.c.id, outbox.c.topic, outbox.c.message_key, outbox.c.body, outbox.c.event_type)
            .where(outbox.c.published_at.is_(None))
            .order_by(outbox.c.id)
            .limit(self._batch_size)
        )
        return query.with_for_update(skip_locked=True)

    async def _take_lock(self, session: AsyncSession) -> bool:
        return bool(await session.scalar(select(func.pg_try_advisory_xact_lock(self._lock_key))))

    async def _sleep(self) -> None:
        try:
            await asyncio.wait_for(self._wake.wait(), timeout=self._poll_seconds)
        except TimeoutError:
            return
        finally:
            self._wake.clear()
        if self._linger:
            # Under load many small commits arrive together: wait a moment so one round takes them all.
            await asyncio.sleep(self._linger)


async def backlog(session: AsyncSession) -> tuple[int, dt.datetime | None]:
    """Unpublished rows and the creation time of the oldest one (operations and metrics)."""
    row = (
        await session.execute(
            select(func.count(), func.min(outbox.c.created_at)).where(outbox.c.published_at.is_(None))
        )
    ).one()
    oldest = row[1]
    if isinstance(oldest, str):  # SQLite aggregate returns text
        oldest = dt.datetime.fromisoformat(oldest).replace(tzinfo=dt.UTC)
    return int(row[0]), oldest
