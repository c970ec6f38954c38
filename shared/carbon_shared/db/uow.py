"""The unit of work: one session, one transaction, events written to the outbox in it.

It rolls back unless the use case calls `commit()`; that call is the only commit in a request or
message. Events added with `emit()` are inserted into the outbox in the same transaction, so a state
change and its events are stored together or not at all.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from types import TracebackType

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from carbon_shared.context import current_correlation_id
from carbon_shared.db.tables import outbox
from carbon_shared.events import DomainEvent, Envelope, encode, new_envelope, topic_for


class UnitOfWork:
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        *,
        topic_prefix: str = "carbon.",
        on_commit: Callable[[], None] | None = None,
    ) -> None:
        self._session_factory = session_factory
        self._topic_prefix = topic_prefix
        self._on_commit = on_commit
        self.emitted: list[Envelope] = []
        self._pending: list[Envelope] = []

    async def __aenter__(self) -> UnitOfWork:
        self.session = self._session_factory()
        self.emitted = []
        self._pending = []
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.session.rollback()
        await self.session.close()

    async def emit(self, event: DomainEvent, *, event_id: uuid.UUID | None = None) -> Envelope:
        """Add `event` to this transaction's outbox rows; the relay publishes them after commit.

        Rows are inserted in one statement when the unit of work flushes (at commit at the latest), in
        emission order, so their ids keep the order in which the use case stated the facts.
        """
        envelope = new_envelope(event, correlation_id=current_correlation_id(), event_id=event_id)
        self._pending.append(envelope)
        self.emitted.append(envelope)
        return envelope

    async def flush(self) -> None:
        """Write pending outbox rows and ORM changes now (still inside the transaction)."""
        await self.session.flush()
        if not self._pending:
            return
        now = dt.datetime.now(dt.UTC)
        rows = [
            {
                "event_id": e.event_id,
                "topic": topic_for(e.producer, self._topic_prefix),
                "message_key": e.subject,
                "event_type": e.type,
                "body": encode(e).decode("utf-8"),
                "created_at": now,
            }
            for e in self._pending
        ]
        self._pending = []
        await self.session.execute(insert(outbox), rows)

    async def commit(self) -> None:
        await self.flush()
        await self.session.commit()
        if self.emitted and self._on_commit is not None:
            self._on_commit()

    async def rollback(self) -> None:
        await self.session.rollback()
        self.emitted = []
        self._pending = []
