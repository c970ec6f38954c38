"""Two toy services around the real event path: A writes through its outbox, B consumes idempotently.

Parametrized over both bus backends: Kafka with PostgreSQL (production shape) and the embedded bus with
SQLite (the `make run` shape). The same contract tests run on each.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, Uuid, func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from carbon_shared.bus import Bus
from carbon_shared.bus.embedded import EmbeddedBus
from carbon_shared.bus.kafka import KafkaBus
from carbon_shared.consumer import EventConsumer
from carbon_shared.db import UnitOfWork, make_engine, make_session_factory, platform_metadata
from carbon_shared.events import PRODUCERS, EnterpriseClosed, Envelope, dead_letter_topic, topic_for
from carbon_shared.outbox import OutboxRelay
from carbon_shared.testing.fixtures import create_database, drop_database

toy_metadata = MetaData()
received = Table(
    "received",
    toy_metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("event_id", Uuid, nullable=False),
    Column("subject", String(100), nullable=False),
    Column("reason", String(200), nullable=False),
)


async def record_closure_on_enterprise_closed(
    uow: UnitOfWork, event: EnterpriseClosed, envelope: Envelope
) -> None:
    if event.reason == "poison":
        raise ValueError("this reason can never be handled")
    await uow.session.execute(
        received.insert().values(event_id=envelope.event_id, subject=event.enterprise_id, reason=event.reason)
    )


@dataclass
class EventPath:
    bus: Bus
    prefix: str
    producer_sessions: async_sessionmaker[AsyncSession]
    consumer_sessions: async_sessionmaker[AsyncSession]
    engines: list[AsyncEngine]

    def producer_uow(self) -> UnitOfWork:
        return UnitOfWork(self.producer_sessions, topic_prefix=self.prefix)

    def relay(self, **kwargs: object) -> OutboxRelay:
        return OutboxRelay(self.producer_sessions, self.bus, service="toy-a", **kwargs)  # type: ignore[arg-type]

    def consumer(self, **kwargs: object) -> EventConsumer:
        return EventConsumer(
            name="toy-b",
            bus=self.bus,
            uow_factory=lambda: UnitOfWork(self.consumer_sessions, topic_prefix=self.prefix),
            handlers={EnterpriseClosed: record_closure_on_enterprise_closed},
            topic_prefix=self.prefix,
            backoff_seconds=0.01,
            **kwargs,  # type: ignore[arg-type]
        )

    async def received(self) -> list[tuple[str, str]]:
        async with self.consumer_sessions() as s:
            rows = await s.execute(select(received.c.subject, received.c.reason).order_by(received.c.seq))
            return [(r.subject, r.reason) for r in rows]

    async def received_count(self) -> int:
        async with self.consumer_sessions() as s:
            return int(await s.scalar(select(func.count()).select_from(received)) or 0)


async def _prepared(url: str, *metadatas: MetaData) -> tuple[AsyncEngine, async_sessionmaker[AsyncSession]]:
    engine = make_engine(url)
    async with engine.begin() as conn:
        for md in metadatas:
            await conn.run_sync(md.create_all)
    return engine, make_session_factory(engine)


@pytest.fixture(params=["kafka", "embedded"])
async def event_path(
    request: pytest.FixtureRequest, tmp_path: Path, topic_prefix: str
) -> AsyncIterator[EventPath]:
    if request.param == "kafka":
        bootstrap = request.getfixturevalue("kafka_bootstrap")
        admin = request.getfixturevalue("pg_admin_url")
        names = [f"test_toy_{uuid.uuid4().hex[:8]}" for _ in range(2)]
        url_a, url_b = [await create_database(admin, n) for n in names]
        bus: Bus = KafkaBus(bootstrap, partitions=3, client_id="toy")
    else:
        url_a, url_b = f"sqlite+aiosqlite:///{tmp_path}/a.db", f"sqlite+aiosqlite:///{tmp_path}/b.db"
        bus = EmbeddedBus(tmp_path / "bus.db")
    engine_a, sessions_a = await _prepared(url_a, platform_metadata)
    engine_b, sessions_b = await _prepared(url_b, platform_metadata, toy_metadata)
    await bus.start()
    await bus.ensure_topics(
        [topic_for(p, topic_prefix) for p in PRODUCERS] + [dead_letter_topic("toy-b", topic_prefix)]
    )
    path = EventPath(bus, topic_prefix, sessions_a, sessions_b, [engine_a, engine_b])
    yield path
    await bus.stop()
    for engine in path.engines:
        await engine.dispose()
    if request.param == "kafka":
        for name in names:
            await drop_database(admin, name)


def closure(enterprise_id: str, reason: str = "停业") -> EnterpriseClosed:
    return EnterpriseClosed(enterprise_id=enterprise_id, closed_on=dt.date(2024, 6, 30), reason=reason)
