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

    async def __aenter__(self) -> UnitOfWork:
        self.session = self._session_factory()
        self.emitted = []
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.session.rollback()
        await self.session.close()

    async def emit(self, event: DomainEvent, *, event_id: uuid.UUID | None = None) -> Envelope:
        """Store `event` in the outbox within this transaction; the relay publishes it after commit."""
        envelope = new_envelope(event, correlation_id=current_correlation_id(), event_id=event_id)
        await self.session.execute(
            insert(outbox).values(
                event_id=envelope.event_id,
                topic=topic_for(envelope.producer, self._topic_prefix),
                message_key=envelope.subject,
                event_type=envelope.type,
                body=encode(envelope).decode("utf-8"),
                created_at=dt.datetime.now(dt.UTC),
            )
        )
        self.emitted.append(envelope)
        return envelope

    async def commit(self) -> None:
        await self.session.commit()
        if self.emitted and self._on_commit is not None:
            self._on_commit()

    async def rollback(self) -> None:
        await self.session.rollback()
        self.emitted = []
