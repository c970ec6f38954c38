"""Benchmark: the platform event path beside raw aiokafka, same broker, same run.

event path = commit events through the transactional outbox (PostgreSQL) -> relay -> Kafka ->
idempotent consumer that records every event_id and commits its database transaction per batch.
raw = aiokafka producer (idempotent, acks=all) + a consumer group committing offsets, same messages.

Prints events/s of both and their ratio. Needs the test environment (`make bench` starts it).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import sys
import time
import uuid

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from sqlalchemy import Column, MetaData, String, Table, func, select

from carbon_shared.bus.kafka import KafkaBus
from carbon_shared.consumer import EventConsumer
from carbon_shared.db import UnitOfWork, make_engine, make_session_factory, platform_metadata
from carbon_shared.events import (
    PRODUCERS,
    EnterpriseClosed,
    dead_letter_topic,
    encode,
    new_envelope,
    topic_for,
)
from carbon_shared.outbox import OutboxRelay
from carbon_shared.testing.fixtures import create_database, drop_database

N = int(os.environ.get("BENCH_EVENTS", "20000"))
COMMIT_BATCH = 500
bench_metadata = MetaData()
seen = Table("seen", bench_metadata, Column("enterprise_id", String(64)))


def progress(label: str, done: int, total: int) -> None:
    width = 30
    filled = int(width * done / total)
    print(f"\r  {label:<12} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", end="", file=sys.stderr)
    if done >= total:
        print(file=sys.stderr)


def sample_event(i: int) -> EnterpriseClosed:
    return EnterpriseClosed(enterprise_id=f"ent-{i % 200}", closed_on=dt.date(2024, 1, 1), reason=f"r{i}")


async def raw_kafka(bootstrap: str) -> float:
    topic = f"bench-raw-{uuid.uuid4().hex[:6]}"
    bus = KafkaBus(bootstrap)
    await bus.ensure_topics([topic])
    payloads = [encode(new_envelope(sample_event(i), correlation_id="bench")) for i in range(N)]
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True, acks="all", linger_ms=5)
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"raw-{uuid.uuid4().hex[:6]}",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    await producer.start()
    await consumer.start()
    started = time.perf_counter()

    async def produce() -> None:
        futures = [
            await producer.send(topic, p, key=f"ent-{i % 200}".encode()) for i, p in enumerate(payloads)
        ]
        await asyncio.gather(*futures)

    async def consume() -> None:
        received = 0
        while received < N:
            batch = await consumer.getmany(timeout_ms=500, max_records=500)
            received += sum(len(records) for records in batch.values())
            if batch:
                await consumer.commit()
            progress("raw", received, N)

    await asyncio.gather(produce(), consume())
    elapsed = time.perf_counter() - started
    await producer.stop()
    await consumer.stop()
    return N / elapsed


async def event_path(bootstrap: str, admin_url: str, *, handler_writes: bool) -> float:
    names = [f"bench_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    urls = [await create_database(admin_url, n) for n in names]
    engines = [make_engine(u) for u in urls]
    for engine, metadatas in zip(
        engines, [[platform_metadata], [platform_metadata, bench_metadata]], strict=True
    ):
        async with engine.begin() as conn:
            for md in metadatas:
                await conn.run_sync(md.create_all)
    producer_sessions, consumer_sessions = (make_session_factory(e) for e in engines)
    prefix = f"bench{uuid.uuid4().hex[:6]}."
    bus = KafkaBus(bootstrap)
    await bus.start()
    await bus.ensure_topics([topic_for(p, prefix) for p in PRODUCERS] + [dead_letter_topic("bench", prefix)])

    async def handle(uow: UnitOfWork, event: EnterpriseClosed, _: object) -> None:
        if handler_writes:
            await uow.session.execute(seen.insert().values(enterprise_id=event.enterprise_id))

    relay = OutboxRelay(
        producer_sessions,
        bus,
        service="bench",
        batch_size=int(os.environ.get("BENCH_RELAY_BATCH", "1000")),
        poll_seconds=0.01,
    )
    consumer = EventConsumer(
        name="bench",
        bus=bus,
        handlers={EnterpriseClosed: handle},
        topic_prefix=prefix,
        uow_factory=lambda: UnitOfWork(consumer_sessions, topic_prefix=prefix),
    )
    tasks = [asyncio.create_task(relay.run()), asyncio.create_task(consumer.run())]
    started = time.perf_counter()
    for start in range(0, N, COMMIT_BATCH):
        async with UnitOfWork(producer_sessions, topic_prefix=prefix, on_commit=relay.wake) as uow:
            for i in range(start, min(start + COMMIT_BATCH, N)):
                await uow.emit(sample_event(i))
            await uow.commit()
    handled = 0
    while handled < N:
        await asyncio.sleep(0.05)
        async with consumer_sessions() as s:
            handled = int(
                await s.scalar(select(func.count()).select_from(platform_metadata.tables["processed_events"]))
                or 0
            )
        progress("event path", handled, N)
    elapsed = time.perf_counter() - started
    await consumer.stop()
    await relay.stop()
    await asyncio.gather(*tasks)
    await bus.stop()
    for engine in engines:
        await engine.dispose()
    for name in names:
        await drop_database(admin_url, name)
    return N / elapsed


async def main() -> None:
    bootstrap = os.environ["CARBON_TEST_KAFKA_BOOTSTRAP"]
    admin_url = os.environ["CARBON_TEST_DATABASE_URL"]
    print(f"event path benchmark: {N} events, commits of {COMMIT_BATCH}, one broker, PostgreSQL")
    raw = await raw_kafka(bootstrap)
    bare = await event_path(bootstrap, admin_url, handler_writes=False)
    writing = await event_path(bootstrap, admin_url, handler_writes=True)
    print(f"raw aiokafka produce+consume          : {raw:10.0f} events/s")
    print(f"event path (inbox only)               : {bare:10.0f} events/s   ratio {bare / raw:.2f}")
    print(f"event path (handler inserts one row)  : {writing:10.0f} events/s   ratio {writing / raw:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
