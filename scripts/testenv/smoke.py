#!/usr/bin/env python3
"""Smoke test of the test environment with the project's real client libraries (aiokafka, asyncpg).

Reads CARBON_TEST_KAFKA_BOOTSTRAP and CARBON_TEST_DATABASE_URL from the environment (source
$STATE/env first), or, when they are unset, from the env file written by `testenv.sh up`
($CARBON_TESTENV_DIR/env, else <repo root>/.testenv/env).

  smoke.py roundtrip [--topic T] [--group G] [-n 100]
      create the topic with the admin client, produce N messages (enable_idempotence=True, acks='all'),
      consume them with a consumer group (manual commit, earliest), commit, print the committed offsets,
      then `select 1` on PostgreSQL with asyncpg.
  smoke.py resume --topic T --group G --expect-committed N [-n 10]
      after a broker restart: check the group's committed offsets still add up to N, produce n more,
      consume from the committed position and check exactly the n new messages arrive (nothing redelivered).
  smoke.py pg
      asyncpg `select 1` (DSN = CARBON_TEST_DATABASE_URL without the '+asyncpg').

Needs: pip install aiokafka==0.14.0 asyncpg  (in any venv; not part of the project's dependencies here).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent


def load_env() -> tuple[str, str]:
    keys = ("CARBON_TEST_KAFKA_BOOTSTRAP", "CARBON_TEST_DATABASE_URL")
    if not all(os.environ.get(k) for k in keys):
        state = Path(os.environ.get("CARBON_TESTENV_DIR") or HERE.parent.parent / ".testenv")
        env_file = state / "env"
        if not env_file.exists():
            sys.exit(f"smoke: {keys} unset and no env file at {env_file}; run scripts/testenv/testenv.sh up")
        for line in env_file.read_text().splitlines():
            line = line.strip()
            if line.startswith("export ") and "=" in line:
                k, v = line[len("export ") :].split("=", 1)
                os.environ.setdefault(k, v)
    return os.environ["CARBON_TEST_KAFKA_BOOTSTRAP"], os.environ["CARBON_TEST_DATABASE_URL"]


def log(msg: str) -> None:
    print(f"[smoke] {msg}", flush=True)


async def create_topic(bootstrap: str, topic: str, partitions: int = 3) -> None:
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic
    from aiokafka.errors import TopicAlreadyExistsError

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        try:
            await admin.create_topics([NewTopic(topic, num_partitions=partitions, replication_factor=1)])
            log(f"created topic {topic} ({partitions} partitions)")
        except TopicAlreadyExistsError:
            log(f"topic {topic} already exists")
        # Wait until the new topic's leaders are known to a fresh metadata fetch.
        for _ in range(50):
            described = await admin.describe_topics([topic])
            parts = described[0].get("partitions") or []
            if len(parts) == partitions and all(p.get("leader", -1) >= 0 for p in parts):
                break
            await asyncio.sleep(0.1)
    finally:
        await admin.close()


async def produce(bootstrap: str, topic: str, n: int, prefix: str) -> None:
    from aiokafka import AIOKafkaProducer

    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True, acks="all")
    await producer.start()
    try:
        t0 = time.monotonic()
        futures = [
            await producer.send(topic, key=f"k{i % 7}".encode(), value=f"{prefix}-{i}".encode())
            for i in range(n)
        ]
        metas = await asyncio.gather(*futures)
        log(f"produced {len(metas)} messages (idempotent, acks=all) in {time.monotonic() - t0:.2f}s")
    finally:
        await producer.stop()


async def consume(bootstrap: str, topic: str, group: str, expect: int, within: float = 60.0) -> list[bytes]:
    from aiokafka import AIOKafkaConsumer

    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=group,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        session_timeout_ms=6000,
        heartbeat_interval_ms=1000,
    )
    await consumer.start()
    values: list[bytes] = []
    try:
        t0 = time.monotonic()
        deadline = t0 + within
        while len(values) < expect and time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            for msgs in batch.values():
                values.extend(m.value for m in msgs)
        # Linger briefly to catch anything unexpected (redelivery) beyond the expected count.
        extra = await consumer.getmany(timeout_ms=1000)
        for msgs in extra.values():
            values.extend(m.value for m in msgs)
        await consumer.commit()
        parts = sorted(consumer.assignment(), key=lambda tp: tp.partition)
        committed = {tp.partition: await consumer.committed(tp) for tp in parts}
        log(
            f"group {group} consumed {len(values)} messages in {time.monotonic() - t0:.2f}s, "
            f"committed {committed} (sum {sum(v or 0 for v in committed.values())})"
        )
    finally:
        await consumer.stop()
    return values


async def committed_offsets(bootstrap: str, topic: str, group: str) -> dict[int, int]:
    from aiokafka.admin import AIOKafkaAdminClient

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        offsets = await admin.list_consumer_group_offsets(group)
        return {tp.partition: om.offset for tp, om in sorted(offsets.items()) if tp.topic == topic}
    finally:
        await admin.close()


async def pg_check(dsn_url: str) -> None:
    import asyncpg

    dsn = dsn_url.replace("postgresql+asyncpg://", "postgresql://", 1)
    conn = await asyncpg.connect(dsn, timeout=10)
    try:
        one = await conn.fetchval("select 1")
        version = await conn.fetchval("show server_version")
        assert one == 1, one
        log(f"postgres select 1 -> {one} (server {version}, {dsn.split('@', 1)[1]})")
    finally:
        await conn.close()


async def cmd_roundtrip(args: argparse.Namespace) -> int:
    bootstrap, dsn = load_env()
    log(f"kafka {bootstrap}")
    await create_topic(bootstrap, args.topic)
    await produce(bootstrap, args.topic, args.n, "first")
    values = await consume(bootstrap, args.topic, args.group, args.n)
    if len(values) != args.n or len(set(values)) != args.n:
        log(f"FAIL: expected {args.n} distinct messages, got {len(values)} ({len(set(values))} distinct)")
        return 1
    committed = await committed_offsets(bootstrap, args.topic, args.group)
    if sum(v or 0 for v in committed.values()) != args.n:
        log(f"FAIL: committed offsets {committed} do not add up to {args.n}")
        return 1
    await pg_check(dsn)
    log("roundtrip OK")
    return 0


async def cmd_resume(args: argparse.Namespace) -> int:
    bootstrap, _ = load_env()
    committed = await committed_offsets(bootstrap, args.topic, args.group)
    total = sum(v or 0 for v in committed.values())
    log(f"after restart: group {args.group} committed offsets on {args.topic}: {committed} (sum {total})")
    if total != args.expect_committed:
        log(f"FAIL: expected committed offsets to add up to {args.expect_committed}")
        return 1
    await produce(bootstrap, args.topic, args.n, "second")
    values = await consume(bootstrap, args.topic, args.group, args.n)
    if sorted(values) != sorted(f"second-{i}".encode() for i in range(args.n)):
        log(f"FAIL: expected exactly the {args.n} new messages, got {len(values)}: {values[:5]}...")
        return 1
    log(f"resume OK: consumption continued from the committed offsets (only the {args.n} new messages)")
    return 0


async def cmd_pg(_: argparse.Namespace) -> int:
    _, dsn = load_env()
    await pg_check(dsn)
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    rt = sub.add_parser("roundtrip")
    rt.add_argument("--topic", default=f"smoke-{uuid.uuid4().hex[:8]}")
    rt.add_argument("--group", default=f"smoke-g-{uuid.uuid4().hex[:8]}")
    rt.add_argument("-n", type=int, default=100)
    rs = sub.add_parser("resume")
    rs.add_argument("--topic", required=True)
    rs.add_argument("--group", required=True)
    rs.add_argument("--expect-committed", type=int, required=True)
    rs.add_argument("-n", type=int, default=10)
    sub.add_parser("pg")
    args = ap.parse_args()
    handler = {"roundtrip": cmd_roundtrip, "resume": cmd_resume, "pg": cmd_pg}[args.cmd]
    return asyncio.run(handler(args))


if __name__ == "__main__":
    sys.exit(main())
