"""Kafka adapter (aiokafka): idempotent producer keyed by subject, consumer groups, manual commits."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError

from carbon_shared.bus.base import Bus, IncomingMessage, OutgoingMessage, StartAt, Subscription


class KafkaBus(Bus):
    def __init__(self, bootstrap: str, *, partitions: int = 3, client_id: str = "carbon") -> None:
        self.bootstrap = bootstrap
        self.partitions = partitions
        self.client_id = client_id
        self._producer: AIOKafkaProducer | None = None

    async def start(self) -> None:
        self._producer = AIOKafkaProducer(
            bootstrap_servers=self.bootstrap,
            client_id=self.client_id,
            enable_idempotence=True,
            acks="all",
            linger_ms=5,
            max_batch_size=256 * 1024,
            request_timeout_ms=30000,
        )
        await self._producer.start()

    async def stop(self) -> None:
        if self._producer is not None:
            await self._producer.stop()
            self._producer = None

    async def ensure_topics(self, topics: Sequence[str]) -> None:
        admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap, client_id=f"{self.client_id}-admin")
        await admin.start()
        try:
            existing = set(await admin.list_topics())
            missing = [t for t in topics if t not in existing]
            if missing:
                new = [NewTopic(t, num_partitions=self.partitions, replication_factor=1) for t in missing]
                with contextlib.suppress(TopicAlreadyExistsError):  # another service created it first
                    await admin.create_topics(new)
        finally:
            await admin.close()

    async def publish(self, messages: Sequence[OutgoingMessage]) -> None:
        assert self._producer is not None, "bus not started"
        pending = [
            await self._producer.send(
                m.topic,
                m.value,
                key=m.key.encode("utf-8"),
                headers=[(k, v.encode("utf-8")) for k, v in m.headers.items()],
            )
            for m in messages
        ]
        await asyncio.gather(*pending)

    def subscribe(self, *, group: str, topics: Sequence[str], start: StartAt = "earliest") -> Subscription:
        return KafkaSubscription(
            self.bootstrap, group=group, topics=list(topics), client_id=self.client_id, start=start
        )

    async def ping(self) -> bool:
        if self._producer is None:
            return False
        try:
            await asyncio.wait_for(self._producer.client.fetch_all_metadata(), timeout=5)
        except (TimeoutError, KafkaError):
            return False
        return True


class KafkaSubscription(Subscription):
    def __init__(
        self, bootstrap: str, *, group: str, topics: list[str], client_id: str, start: StartAt = "earliest"
    ) -> None:
        self._consumer = AIOKafkaConsumer(
            *topics,
            bootstrap_servers=bootstrap,
            group_id=group,
            client_id=f"{client_id}-{group}",
            enable_auto_commit=False,
            auto_offset_reset=start,
            session_timeout_ms=10000,
            heartbeat_interval_ms=1000,
            max_poll_interval_ms=300000,
        )

    async def start(self) -> None:
        await self._consumer.start()

    async def stop(self) -> None:
        await self._consumer.stop()

    async def fetch(self, *, max_records: int, timeout_s: float) -> list[IncomingMessage]:
        batches = await self._consumer.getmany(timeout_ms=int(timeout_s * 1000), max_records=max_records)
        return [
            IncomingMessage(
                topic=r.topic,
                partition=r.partition,
                offset=r.offset,
                key=r.key.decode("utf-8") if r.key else None,
                value=r.value or b"",
                headers={k: v.decode("utf-8", "replace") for k, v in (r.headers or ())},
            )
            for records in batches.values()
            for r in records
        ]

    async def commit(self, messages: Sequence[IncomingMessage]) -> None:
        offsets: dict[TopicPartition, int] = {}
        for m in messages:
            tp = TopicPartition(m.topic, m.partition)
            offsets[tp] = max(offsets.get(tp, 0), m.offset + 1)
        if offsets:
            await self._consumer.commit(offsets)

    async def lag(self) -> int:
        assigned = self._consumer.assignment()
        if not assigned:
            return 0
        ends = await self._consumer.end_offsets(list(assigned))
        total = 0
        for tp in assigned:
            position = await self._consumer.position(tp)
            total += max(0, ends.get(tp, 0) - position)
        return total
