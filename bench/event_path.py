"""Benchmark: the platform event path beside raw aiokafka, same broker, same run, same process layout.

event path = process A commits events through the transactional outbox (PostgreSQL) and runs the relay
to Kafka; process B is an idempotent consumer that records every event_id in its own database and
commits per batch (the production shape: writer and consumer are different services).
raw = process A produces with aiokafka (idempotent, acks=all); process B consumes through a consumer
group committing offsets. Same messages, same keys.

Both are timed from A's first write to B's last commit. Prints events/s and the ratio.
Needs the test environment (`make bench` starts it). BENCH_EVENTS sets the volume (default 20,000).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import multiprocessing as mp
import os
import sys
import time
import uuid

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from sqlalchemy import func, select

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
BOOTSTRAP = os.environ.get("CARBON_TEST_KAFKA_BOOTSTRAP", "")
ADMIN_URL = os.environ.get("CARBON_TEST_DATABASE_URL", "")


def sample_event(i: int) -> EnterpriseClosed:
    return EnterpriseClosed(enterprise_id=f"ent-{i % 200}", closed_on=dt.date(2024, 1, 1), reason=f"r{i}")


_last_drawn: dict[str, int] = {}


def progress(label: str, done: int) -> None:
    if _last_drawn.get(label) == done:
        return
    _last_drawn[label] = done
    filled = int(30 * done / N)
    print(f"\r  {label:<12} [{'#' * filled}{'.' * (30 - filled)}] {done}/{N}", end="", file=sys.stderr)
    if done >= N:
        print(file=sys.stderr)


# ---- raw aiokafka ---------------------------------------------------------------------------------
async def raw_produce(topic: str) -> None:
    payloads = [encode(new_envelope(sample_event(i), correlation_id="bench")) for i in range(N)]
    producer = AIOKafkaProducer(bootstrap_servers=BOOTSTRAP, enable_idempotence=True, acks="all", linger_ms=5)
    await producer.start()
    futures = [await producer.send(topic, p, key=f"ent-{i % 200}".encode()) for i, p in enumerate(payloads)]
    await asyncio.gather(*futures)
    await producer.stop()


async def raw_consume(topic: str, ready: mp.Event) -> float:
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=BOOTSTRAP,
        group_id=f"raw-{uuid.uuid4().hex[:6]}",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    await consumer.start()
    ready.set()
    received = 0
    while received < N:
        batch = await consumer.getmany(timeout_ms=500, max_records=500)
        received += sum(len(records) for records in batch.values())
        if batch:
            await consumer.commit()
        progress("raw", received)
    await consumer.stop()
    return time.time()


# ---- event path -----------------------------------------------------------------------------------
async def write_and_relay(url: str, prefix: str) -> None:
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    bus = KafkaBus(BOOTSTRAP)
    await bus.start()
    relay = OutboxRelay(sessions, bus, service="bench", batch_size=1000, poll_seconds=0.01)
    relaying = asyncio.create_task(relay.run())
    for start in range(0, N, COMMIT_BATCH):
        async with UnitOfWork(sessions, topic_prefix=prefix, on_commit=relay.wake) as uow:
            for i in range(start, min(start + COMMIT_BATCH, N)):
                await uow.emit(sample_event(i))
            await uow.commit()
    await relay.stop()
    await relaying
    await bus.stop()
    await engine.dispose()


async def consume_idempotently(url: str, prefix: str, ready: mp.Event) -> float:
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    bus = KafkaBus(BOOTSTRAP)
    await bus.start()

    async def handle(uow: UnitOfWork, event: EnterpriseClosed, _: object) -> None:
        return None

    consumer = EventConsumer(
        name="bench",
        bus=bus,
        handlers={EnterpriseClosed: handle},
        topic_prefix=prefix,
        uow_factory=lambda: UnitOfWork(sessions, topic_prefix=prefix),
    )
    consuming = asyncio.create_task(consumer.run())
    ready.set()
    table = platform_metadata.tables["processed_events"]
    handled = 0
    while handled < N:
        await asyncio.sleep(0.02)
        async with sessions() as session:
            handled = int(await session.scalar(select(func.count()).select_from(table)) or 0)
        progress("event path", handled)
    finished = time.time()
    await consumer.stop()
    await consuming
    await bus.stop()
    await engine.dispose()
    return finished


# ---- process plumbing -----------------------------------------------------------------------------
def _consumer_process(kind: str, arg: tuple, ready: mp.Event, result: mp.Queue) -> None:
    if kind == "raw":
        result.put(asyncio.run(raw_consume(*arg, ready)))
    else:
        result.put(asyncio.run(consume_idempotently(*arg, ready)))


def _timed_pair(kind: str, consumer_arg: tuple, produce) -> float:
    context = mp.get_context("spawn")
    ready, result = context.Event(), context.Queue()
    process = context.Process(target=_consumer_process, args=(kind, consumer_arg, ready, result))
    process.start()
    ready.wait(60)
    time.sleep(2)  # let the group join finish before the clock starts
    started = time.time()
    asyncio.run(produce())
    finished = result.get(timeout=600)
    process.join(60)
    return N / (finished - started)


async def _prepare() -> tuple[str, list[str], list[str]]:
    prefix = f"bench{uuid.uuid4().hex[:6]}."
    names = [f"bench_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    urls = [await create_database(ADMIN_URL, n) for n in names]
    for url in urls:
        engine = make_engine(url)
        async with engine.begin() as conn:
            await conn.run_sync(platform_metadata.create_all)
        await engine.dispose()
    await KafkaBus(BOOTSTRAP).ensure_topics(
        [topic_for(p, prefix) for p in PRODUCERS] + [dead_letter_topic("bench", prefix)] + [f"{prefix}raw"]
    )
    return prefix, names, urls


def main() -> None:
    print(
        f"event path benchmark: {N} events, commits of {COMMIT_BATCH}, writer and consumer in two processes"
    )
    prefix, names, urls = asyncio.run(_prepare())
    try:
        raw = _timed_pair("raw", (f"{prefix}raw",), lambda: raw_produce(f"{prefix}raw"))
        path = _timed_pair("path", (urls[1], prefix), lambda: write_and_relay(urls[0], prefix))
    finally:
        for name in names:
            asyncio.run(drop_database(ADMIN_URL, name))
    print(f"raw aiokafka produce -> consume           : {raw:10.0f} events/s")
    print(f"outbox -> relay -> Kafka -> idempotent inbox : {path:10.0f} events/s   ratio {path / raw:.2f}")


if __name__ == "__main__":
    main()
