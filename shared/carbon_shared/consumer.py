"""Idempotent event consumers.

A handler is `async def <effect>_on_<event>(uow, event, envelope)`. The runtime:
- decodes each message; one that is not a valid event of the catalogue goes to the dead-letter topic
  with the reason, and the consumer keeps going;
- handles a batch in one transaction, recording each `event_id` in `processed_events` in that same
  transaction, so a redelivered event changes nothing;
- commits the bus offset only after the database commit;
- when a batch fails, handles its messages one by one with retries and backoff; a message that still
  fails goes to the dead-letter topic; infrastructure outages (database or broker away) are retried
  until they pass, never dead-lettered.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from carbon_shared.bus import Bus, IncomingMessage, OutgoingMessage, Subscription
from carbon_shared.context import correlation_id_var
from carbon_shared.db.engine import upsert_ignore
from carbon_shared.db.tables import processed_events
from carbon_shared.db.uow import UnitOfWork
from carbon_shared.events import DomainEvent, Envelope, InvalidEvent, dead_letter_topic, decode, topic_for
from carbon_shared.metrics import Metrics
from carbon_shared.transient import is_transient

log = logging.getLogger(__name__)

Handler = Callable[[UnitOfWork, Any, Envelope], Awaitable[None]]


@dataclass(frozen=True)
class _Work:
    message: IncomingMessage
    envelope: Envelope
    event: DomainEvent


class EventConsumer:
    def __init__(
        self,
        *,
        name: str,
        bus: Bus,
        uow_factory: Callable[[], UnitOfWork],
        handlers: Mapping[type[DomainEvent], Handler | Sequence[Handler]],
        topic_prefix: str = "carbon.",
        batch_size: int = 500,
        max_attempts: int = 5,
        backoff_seconds: float = 0.2,
        metrics: Metrics | None = None,
    ) -> None:
        self.name = name
        self._bus = bus
        self._uow_factory = uow_factory
        self._handlers = {cls: list(h) if isinstance(h, Sequence) else [h] for cls, h in handlers.items()}
        self._prefix = topic_prefix
        self._batch_size = batch_size
        self._max_attempts = max_attempts
        self._backoff = backoff_seconds
        self._metrics = metrics
        self._stopping = asyncio.Event()
        self.subscription: Subscription | None = None

    @property
    def topics(self) -> list[str]:
        return sorted({topic_for(cls.producer, self._prefix) for cls in self._handlers})

    @property
    def dead_letter_topic(self) -> str:
        return dead_letter_topic(self.name, self._prefix)

    async def run(self) -> None:
        """Consume until stopped; a failure of the subscription itself restarts it after a pause."""
        while not self._stopping.is_set():
            try:
                await self._consume()
            except Exception:
                if self._stopping.is_set():
                    return
                log.exception("consumer %s lost its subscription; resubscribing", self.name)
                await asyncio.sleep(1)

    async def _consume(self) -> None:
        self.subscription = self._bus.subscribe(group=self.name, topics=self.topics)
        await self.subscription.start()
        try:
            while not self._stopping.is_set():
                messages = await self.subscription.fetch(max_records=self._batch_size, timeout_s=0.5)
                if messages and await self._process_until_done(messages):
                    await self._commit(messages)
        finally:
            with contextlib.suppress(Exception):
                await self.subscription.stop()

    async def _commit(self, messages: list[IncomingMessage]) -> None:
        """Commit after the database commit. If the group rebalanced meanwhile the commit is refused and the
        new owner receives these messages again; the inbox makes that harmless."""
        try:
            await self.subscription.commit(messages)  # type: ignore[union-attr]
        except Exception as exc:
            if not _is_rebalance(exc):
                raise
            log.warning("offset commit refused after a rebalance (%s); messages will be redelivered", exc)

    async def stop(self) -> None:
        """Finish the batch in hand, commit it, then stop."""
        self._stopping.set()

    async def _process_until_done(self, messages: list[IncomingMessage]) -> bool:
        """Handle the batch; while the database or broker is away, wait and try again."""
        delay = self._backoff
        while True:
            try:
                await self.handle(messages)
                return True
            except Exception as exc:
                if not is_transient(exc):
                    raise
                if self._stopping.is_set():
                    return False  # not committed: delivered again after restart
                log.warning("consumer %s waiting for infrastructure: %s", self.name, exc)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    async def handle(self, messages: Sequence[IncomingMessage]) -> None:
        work, dead = self._decode(messages)
        if dead:
            await self._dead_letter(dead)
        if not work:
            return
        try:
            await self._handle_in_one_transaction(work)
        except Exception as exc:
            if is_transient(exc):
                raise
            log.warning("batch of %d failed (%s); handling one by one", len(work), exc)
            for item in work:
                await self._handle_with_retries(item)

    def _decode(
        self, messages: Sequence[IncomingMessage]
    ) -> tuple[list[_Work], list[tuple[IncomingMessage, str]]]:
        work: list[_Work] = []
        dead: list[tuple[IncomingMessage, str]] = []
        for message in messages:
            try:
                envelope, event = decode(message.value)
            except InvalidEvent as exc:
                dead.append((message, exc.reason))
                continue
            if type(event) in self._handlers:
                work.append(_Work(message, envelope, event))
        return work, dead

    async def _handle_in_one_transaction(self, work: Sequence[_Work]) -> None:
        async with self._uow_factory() as uow:
            fresh = await self._claim_unhandled(uow, work)
            for item in fresh:
                await self._call_handlers(uow, item)
            await uow.commit()
        fresh_ids = {item.envelope.event_id for item in fresh}
        for item in work:
            self._count(item, "handled" if item.envelope.event_id in fresh_ids else "duplicate")

    async def _claim_unhandled(self, uow: UnitOfWork, work: Sequence[_Work]) -> list[_Work]:
        """Record the batch's event ids in the inbox; only those not recorded before are handled.

        One INSERT .. ON CONFLICT DO NOTHING RETURNING both records and detects duplicates, in the same
        transaction as the handlers' writes: a rollback forgets both together.
        """
        unique = list({item.envelope.event_id: item for item in work}.values())
        statement = upsert_ignore(uow.session, processed_events).returning(processed_events.c.event_id)
        rows = await uow.session.execute(statement, [self._processed_row(w) for w in unique])
        inserted = set(rows.scalars())
        return [item for item in unique if item.envelope.event_id in inserted]

    async def _handle_with_retries(self, item: _Work) -> None:
        for attempt in range(1, self._max_attempts + 1):
            try:
                await self._handle_in_one_transaction([item])
                return
            except Exception as exc:
                if is_transient(exc):
                    raise
                reason = f"{type(exc).__name__}: {exc}"
                log.warning(
                    "handling %s %s failed (attempt %d): %s",
                    item.envelope.type,
                    item.envelope.event_id,
                    attempt,
                    reason,
                )
                if attempt == self._max_attempts:
                    await self._dead_letter([(item.message, f"handler failed {attempt} times: {reason}")])
                    return
                await asyncio.sleep(self._backoff * 2 ** (attempt - 1))

    async def _call_handlers(self, uow: UnitOfWork, item: _Work) -> None:
        token = correlation_id_var.set(item.envelope.correlation_id)
        started = time.perf_counter()
        try:
            for handler in self._handlers[type(item.event)]:
                await handler(uow, item.event, item.envelope)
            log.info(
                "handled %s %s",
                item.envelope.type,
                item.envelope.event_id,
                extra={"event_type": item.envelope.type, "subject": item.envelope.subject},
            )
        finally:
            correlation_id_var.reset(token)
            if self._metrics:
                self._metrics.handler_seconds.labels(item.envelope.type).observe(
                    time.perf_counter() - started
                )

    def _processed_row(self, item: _Work) -> dict[str, Any]:
        return {
            "consumer": self.name,
            "event_id": item.envelope.event_id,
            "event_type": item.envelope.type,
            "handled_at": dt.datetime.now(dt.UTC),
        }

    async def _dead_letter(self, failures: Sequence[tuple[IncomingMessage, str]]) -> None:
        await self._bus.publish([self._dead_letter_message(m, reason) for m, reason in failures])
        for m, reason in failures:
            log.error("dead-lettered %s@%s/%s: %s", m.topic, m.partition, m.offset, reason)
        if self._metrics:
            self._metrics.dead_letters.inc(len(failures))

    def _dead_letter_message(self, m: IncomingMessage, reason: str) -> OutgoingMessage:
        headers = {
            "x-original-topic": m.topic,
            "x-original-partition": str(m.partition),
            "x-original-offset": str(m.offset),
            "x-original-key": m.key or "",
            "x-consumer": self.name,
            "x-error-reason": reason[:2000],
            "x-failed-at": dt.datetime.now(dt.UTC).isoformat(),
        }
        return OutgoingMessage(self.dead_letter_topic, m.key or "unknown", m.value, headers)

    def _count(self, item: _Work, outcome: str) -> None:
        if self._metrics:
            self._metrics.events_consumed.labels(item.envelope.type, outcome).inc()


def _is_rebalance(exc: BaseException) -> bool:
    return type(exc).__name__ in {
        "CommitFailedError",
        "IllegalStateError",
        "RebalanceInProgressError",
        "UnknownMemberIdError",
        "IllegalGenerationError",
    }
