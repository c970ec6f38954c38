"""The live stream: tail the event log in commit order, filtered by type and subject.

Polls the log every `stream_poll_seconds` (a live event reaches the client well within a second) and
releases ids only in commit order (see domain.stream). Yields `StreamEvent`s, or None when a
heartbeat is due so the HTTP layer can keep idle connections (and proxies) alive.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Collection
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from carbon_notify.db import event_log
from carbon_notify.domain.stream import TailPosition, releasable
from carbon_notify.settings import NotifySettings

_BATCH = 500


@dataclass(frozen=True)
class StreamEvent:
    id: int
    event_type: str
    body: str


async def start_position(session_factory: async_sessionmaker[AsyncSession], last_event_id: int | None) -> int:
    """Resume after `last_event_id`; a new client starts at the live end of the log."""
    if last_event_id is not None:
        return last_event_id
    async with session_factory() as session:
        return await event_log.last_id(session)


async def tail(
    session_factory: async_sessionmaker[AsyncSession],
    *,
    after: int,
    types: Collection[str],
    subjects: Collection[str],
    settings: NotifySettings,
    disconnected: Callable[[], Awaitable[bool]],
) -> AsyncIterator[StreamEvent | None]:
    position = TailPosition(after)
    idle_since = time.monotonic()
    while not await disconnected():
        released, position = await _poll(session_factory, position, settings.stream_gap_grace_seconds)
        for row in released:
            if (not types or row.event_type in types) and (not subjects or row.subject in subjects):
                idle_since = time.monotonic()
                yield StreamEvent(row.id, row.event_type, row.body)
        if time.monotonic() - idle_since >= settings.stream_heartbeat_seconds:
            idle_since = time.monotonic()
            yield None
        if len(released) < _BATCH:
            await asyncio.sleep(settings.stream_poll_seconds)


async def _poll(
    session_factory: async_sessionmaker[AsyncSession], position: TailPosition, grace: float
) -> tuple[list, TailPosition]:  # type: ignore[type-arg]
    async with session_factory() as session:
        rows = await event_log.after(session, position.last_id, limit=_BATCH)
    moved = releasable([row.id for row in rows], position=position, now=time.monotonic(), grace=grace)
    return [row for row in rows if row.id <= moved.last_id], moved
